// The local (non-AI) provider's algorithms on small images in memory: keying
// finds only the edge-connected background, the fill takes its colour from the
// surroundings, styles blend by strength, and every job returns a real image.
import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { keyBackground } from "./background.ts";
import { fillHole, holeFromBox } from "./inpaint.ts";
import { blend } from "./styles.ts";
import { ovalAlpha, scaleBox } from "./face-swap.ts";
import { generationSvg } from "./generate.ts";
import { LocalImaging } from "./local-imaging.ts";
import { ImageStyle } from "../../../tasks/media/imaging.ts";
import type { RawImage } from "./raw-image.ts";

/** An RGBA image of one colour with a rectangle of another. */
function picture(width: number, height: number, background: number[], rect?: { x: number; y: number; w: number; h: number; colour: number[] }): RawImage {
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const inside = rect && x >= rect.x && x < rect.x + rect.w && y >= rect.y && y < rect.y + rect.h;
      const colour = inside ? rect.colour : background;
      pixels.set([...colour.slice(0, 3), 255], (y * width + x) * 4);
    }
  }
  return { pixels, width, height };
}

const pixel = (image: RawImage, x: number, y: number) => [...image.pixels.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4)];

describe("keyBackground", () => {
  it("takes the border-connected background and leaves the subject", () => {
    const image = picture(20, 20, [250, 250, 250], { x: 5, y: 5, w: 10, h: 10, colour: [200, 20, 20] });
    const { mask, reference } = keyBackground(image);
    expect(reference).toEqual([250, 250, 250]);
    expect(mask[0]).toBe(1);
    expect(mask[10 * 20 + 10]).toBe(0);
    expect(mask.reduce((a, b) => a + b, 0)).toBe(400 - 100);
  });

  it("keeps background-coloured pixels that the subject encloses", () => {
    // A red ring with a white centre: the centre is not connected to the border.
    const image = picture(20, 20, [250, 250, 250], { x: 4, y: 4, w: 12, h: 12, colour: [200, 20, 20] });
    for (let y = 8; y < 12; y += 1) for (let x = 8; x < 12; x += 1) image.pixels.set([250, 250, 250, 255], (y * 20 + x) * 4);
    expect(keyBackground(image).mask[10 * 20 + 10]).toBe(0);
  });
});

describe("fillHole", () => {
  it("fills a box from its surroundings, leaving the rest untouched", () => {
    const image = picture(30, 30, [40, 160, 60], { x: 10, y: 10, w: 8, h: 8, colour: [255, 0, 255] });
    const filled = fillHole(image, holeFromBox(30, 30, { x: 9, y: 9, width: 10, height: 10 }));
    expect(filled).toBe(100);
    expect(pixel(image, 14, 14)).toEqual([40, 160, 60, 255]);
    expect(pixel(image, 0, 0)).toEqual([40, 160, 60, 255]);
  });

  it("blends between different surroundings", () => {
    const image = picture(20, 10, [0, 0, 0]);
    for (let y = 0; y < 10; y += 1) for (let x = 10; x < 20; x += 1) image.pixels.set([200, 200, 200, 255], (y * 20 + x) * 4);
    fillHole(image, holeFromBox(20, 10, { x: 6, y: 0, width: 8, height: 10 }));
    const middle = pixel(image, 10, 5)[0]!;
    expect(middle).toBeGreaterThan(40);
    expect(middle).toBeLessThan(160);
  });
});

describe("blend and shapes", () => {
  it("blends colour by strength and keeps alpha", () => {
    const original = { pixels: Buffer.from([100, 100, 100, 7]), width: 1, height: 1 };
    blend(original, Buffer.from([200, 0, 100]), 0.25);
    expect([...original.pixels]).toEqual([125, 75, 100, 7]);
  });

  it("feathers the oval: opaque in the middle, clear at the corners", () => {
    const alpha = ovalAlpha(21, 21);
    expect(alpha[10 * 21 + 10]).toBe(255);
    expect(alpha[0]).toBe(0);
  });

  it("scales a box to another image, staying inside it", () => {
    expect(scaleBox({ x: 10, y: 10, width: 50, height: 50 }, { width: 100, height: 100 }, { width: 200, height: 50 })).toEqual({ x: 20, y: 5, width: 100, height: 25 });
  });

  it("draws the same picture for the same prompt and seed, another for another seed", () => {
    const request = { prompt: "harbour", width: 64, height: 64, seed: 1, steps: 30 };
    expect(generationSvg(request).svg).toBe(generationSvg(request).svg);
    expect(generationSvg({ ...request, seed: 2 }).svg).not.toBe(generationSvg(request).svg);
  });
});

describe("LocalImaging", () => {
  const imaging = new LocalImaging({ limits: { maxInputBytes: 1e6, maxInlineBytes: 1e4, maxInputPixels: 1e6 } });
  const signal = new AbortController().signal;

  it.each(ImageStyle)("applies the %s style, keeping the size", async (style) => {
    const data = await sharp({ create: { width: 32, height: 24, channels: 4, background: { r: 200, g: 120, b: 40, alpha: 1 } } }).png().toBuffer();
    const result = await imaging.transferStyle({ image: { data, info: await imaging.probe(data) }, style, strength: 1 }, signal);
    expect(await imaging.probe(result.data)).toEqual({ format: "png", width: 32, height: 24 });
    expect(result.metadata.algorithm).toMatch(/not AI/);
  });

  it("composites a face region onto the target at the target's size", async () => {
    const source = await sharp({ create: { width: 40, height: 40, channels: 3, background: "#ff0000" } }).png().toBuffer();
    const target = await sharp({ create: { width: 60, height: 50, channels: 3, background: "#0000ff" } }).jpeg().toBuffer();
    const result = await imaging.swapFace(
      { source: { data: source, info: await imaging.probe(source) }, target: { data: target, info: await imaging.probe(target) }, targetBox: { x: 10, y: 10, width: 30, height: 30 } },
      signal,
    );
    const { data, info } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([60, 50]);
    const centre = (25 * 60 + 25) * info.channels;
    expect(data[centre]! - data[centre + 2]!).toBeGreaterThan(50);
  });
});
