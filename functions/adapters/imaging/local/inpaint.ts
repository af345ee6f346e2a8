// Object removal without a model: the hole (mask or box) is filled from its
// surroundings. First an onion peel, layer by layer from the hole's border
// inwards, each pixel the mean of its already-known neighbours; then diffusion
// passes smooth the fill so no seams remain. Good on backgrounds and textures
// with little structure; it does not invent what was behind the object.
import { NonRetryableError } from "../../../core/errors.ts";
import type { Box, ImagingResult, SourceImage } from "../../../tasks/media/imaging.ts";
import type { SharpFactory } from "../sharp-loader.ts";
import { decodeRgba, encodePng, throwIfAborted, type RawImage } from "./raw-image.ts";

const SMOOTHING_PASSES = 24;

/** 1 where the pixel is to be filled: mask pixels brighter than mid-grey, or the box. */
export function holeFromBox(width: number, height: number, box: Box): Uint8Array {
  const hole = new Uint8Array(width * height);
  for (let y = Math.max(0, box.y); y < Math.min(height, box.y + box.height); y += 1) {
    hole.fill(1, y * width + Math.max(0, box.x), y * width + Math.min(width, box.x + box.width));
  }
  return hole;
}

/** Pure: fills the hole in place; returns how many pixels were filled. */
export function fillHole(image: RawImage, hole: Uint8Array, signal?: AbortSignal): number {
  const { pixels, width, height } = image;
  const count = width * height;
  const known = new Uint8Array(count);
  const holeIndices: number[] = [];
  for (let i = 0; i < count; i += 1) {
    if (hole[i]) holeIndices.push(i);
    else known[i] = 1;
  }
  if (holeIndices.length === 0) return 0;
  const neighbours = (i: number, out: number[]) => {
    out.length = 0;
    const x = i % width;
    const y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy += 1) {
      for (let dx = -1; dx <= 1; dx += 1) {
        if ((dx || dy) && x + dx >= 0 && x + dx < width && y + dy >= 0 && y + dy < height) out.push(i + dy * width + dx);
      }
    }
    return out;
  };
  const around: number[] = [];
  let layer = holeIndices.filter((i) => neighbours(i, around).some((n) => known[n]));
  const queued = new Uint8Array(count);
  for (const i of layer) queued[i] = 1;
  const sums = new Float64Array(4);
  while (layer.length > 0) {
    if (signal) throwIfAborted(signal);
    const values: number[] = [];
    for (const i of layer) {
      sums.fill(0);
      let weight = 0;
      for (const n of neighbours(i, around)) {
        if (!known[n]) continue;
        const w = n === i - 1 || n === i + 1 || n === i - width || n === i + width ? 1 : 0.7;
        for (let c = 0; c < 4; c += 1) sums[c]! += pixels[n * 4 + c]! * w;
        weight += w;
      }
      for (let c = 0; c < 4; c += 1) values.push(Math.round(sums[c]! / weight));
    }
    // The whole layer becomes known at once, so the fill has no sweep direction.
    const next: number[] = [];
    layer.forEach((i, k) => {
      for (let c = 0; c < 4; c += 1) pixels[i * 4 + c] = values[k * 4 + c]!;
      known[i] = 1;
    });
    for (const i of layer) {
      for (const n of neighbours(i, around)) {
        if (hole[n] && !known[n] && !queued[n]) {
          queued[n] = 1;
          next.push(n);
        }
      }
    }
    layer = next;
  }
  // Jacobi passes over the hole: each pixel the mean of its four neighbours.
  const four = new Int32Array(holeIndices.length * 4);
  holeIndices.forEach((i, k) => {
    const x = i % width;
    four[k * 4] = x > 0 ? i - 1 : i;
    four[k * 4 + 1] = x < width - 1 ? i + 1 : i;
    four[k * 4 + 2] = i >= width ? i - width : i;
    four[k * 4 + 3] = i + width < count ? i + width : i;
  });
  const buffer = new Float32Array(holeIndices.length * 4);
  for (let pass = 0; pass < SMOOTHING_PASSES; pass += 1) {
    if (signal) throwIfAborted(signal);
    for (let k = 0; k < holeIndices.length; k += 1) {
      const a = four[k * 4]! * 4, b = four[k * 4 + 1]! * 4, c4 = four[k * 4 + 2]! * 4, d = four[k * 4 + 3]! * 4;
      for (let c = 0; c < 4; c += 1) buffer[k * 4 + c] = (pixels[a + c]! + pixels[b + c]! + pixels[c4 + c]! + pixels[d + c]!) / 4;
    }
    for (let k = 0; k < holeIndices.length; k += 1) {
      const i = holeIndices[k]! * 4;
      for (let c = 0; c < 4; c += 1) pixels[i + c] = Math.round(buffer[k * 4 + c]!);
    }
  }
  return holeIndices.length;
}

export async function removeObject(
  sharp: SharpFactory,
  request: { image: SourceImage; mask?: SourceImage; box?: Box },
  maxPixels: number,
  signal: AbortSignal,
): Promise<ImagingResult> {
  const image = await decodeRgba(sharp, request.image.data, maxPixels);
  throwIfAborted(signal);
  let hole: Uint8Array;
  if (request.mask) {
    const grey = await sharp(request.mask.data, { limitInputPixels: maxPixels, autoOrient: true })
      .flatten({ background: "#000000" })
      .greyscale()
      .resize(image.width, image.height, { fit: "fill" })
      .extractChannel(0)
      .raw()
      .toBuffer();
    hole = new Uint8Array(grey.length);
    for (let i = 0; i < grey.length; i += 1) hole[i] = grey[i]! > 127 ? 1 : 0;
  } else {
    hole = holeFromBox(image.width, image.height, request.box!);
  }
  throwIfAborted(signal);
  const marked = hole.reduce((sum, v) => sum + v, 0);
  if (marked === 0) throw new NonRetryableError("the mask marks no pixels to remove (white marks what to remove)");
  if (marked === hole.length) throw new NonRetryableError("the mask covers the whole image: nothing is left to fill from");
  const filled = fillHole(image, hole, signal);
  const data = await encodePng(sharp, image);
  return { data, metadata: { algorithm: "onion-peel fill and diffusion from the hole's border (not AI)", filled_pixels: filled, smoothing_passes: SMOOTHING_PASSES } };
}
