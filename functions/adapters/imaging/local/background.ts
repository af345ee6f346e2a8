// Background removal without a model: colour keying from the edges. The colour
// the border mostly has is taken as the background; a flood fill from the border
// takes every connected pixel close to it, and those become transparent, with
// the edge of the cut-out feathered by a small blur of the mask.
import type { ImagingResult, SourceImage } from "../../../tasks/media/imaging.ts";
import type { SharpFactory } from "../sharp-loader.ts";
import { decodeRgba, encodePng, throwIfAborted, type RawImage } from "./raw-image.ts";

export interface KeyedBackground {
  /** 1 where the pixel is background. */
  mask: Uint8Array;
  reference: [number, number, number];
  tolerance: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Pure: finds the edge-connected background of an RGBA image. */
export function keyBackground(image: RawImage, signal?: AbortSignal): KeyedBackground {
  const { pixels, width, height } = image;
  const border: number[] = [];
  for (let x = 0; x < width; x += 1) border.push(x, (height - 1) * width + x);
  for (let y = 1; y < height - 1; y += 1) border.push(y * width, y * width + width - 1);
  const channel = (c: number) => median(border.map((i) => pixels[i * 4 + c]!));
  const reference: [number, number, number] = [channel(0), channel(1), channel(2)];
  const distance = (i: number) => {
    const dr = pixels[i * 4]! - reference[0];
    const dg = pixels[i * 4 + 1]! - reference[1];
    const db = pixels[i * 4 + 2]! - reference[2];
    return Math.sqrt(dr * dr + dg * dg + db * db);
  };
  // A noisy border (a photo, a gradient) widens the tolerance; a flat one keeps it tight.
  const spread = border.reduce((sum, i) => sum + distance(i), 0) / Math.max(1, border.length);
  const tolerance = Math.min(96, Math.max(24, 20 + 2 * spread));
  const mask = new Uint8Array(width * height);
  const queue = new Int32Array(width * height);
  let head = 0;
  let tail = 0;
  for (const i of border) {
    if (!mask[i] && distance(i) <= tolerance) {
      mask[i] = 1;
      queue[tail++] = i;
    }
  }
  while (head < tail) {
    if ((head & 0xfffff) === 0 && signal) throwIfAborted(signal);
    const i = queue[head++]!;
    const x = i % width;
    const neighbours = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width];
    for (const n of neighbours) {
      if (n < 0 || n >= width * height || mask[n]) continue;
      if (distance(n) <= tolerance) {
        mask[n] = 1;
        queue[tail++] = n;
      }
    }
  }
  return { mask, reference, tolerance };
}

export async function removeBackground(sharp: SharpFactory, request: { image: SourceImage }, maxPixels: number, signal: AbortSignal): Promise<ImagingResult> {
  const image = await decodeRgba(sharp, request.image.data, maxPixels);
  throwIfAborted(signal);
  const keyed = keyBackground(image, signal);
  const count = image.width * image.height;
  const foreground = Buffer.alloc(count);
  let removed = 0;
  for (let i = 0; i < count; i += 1) {
    foreground[i] = keyed.mask[i] ? 0 : 255;
    removed += keyed.mask[i]!;
  }
  throwIfAborted(signal);
  const feathered = await sharp(foreground, { raw: { width: image.width, height: image.height, channels: 1 } }).blur(1).extractChannel(0).raw().toBuffer();
  throwIfAborted(signal);
  for (let i = 0; i < count; i += 1) {
    image.pixels[i * 4 + 3] = Math.min(image.pixels[i * 4 + 3]!, feathered[i]!);
  }
  const data = await encodePng(sharp, image);
  return {
    data,
    metadata: {
      algorithm: "edge-connected colour keying (not AI)",
      background_rgb: keyed.reference,
      tolerance: Math.round(keyed.tolerance),
      removed_fraction: Number((removed / count).toFixed(4)),
    },
  };
}
