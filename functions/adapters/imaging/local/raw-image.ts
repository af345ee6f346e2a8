// Pixels as a plain RGBA buffer, for the algorithms sharp has no operation for
// (flood fill, inpainting, blending), and the checks between stages.
import type { SharpFactory } from "../sharp-loader.ts";

export interface RawImage {
  /** RGBA, 8 bits per channel, row-major. */
  pixels: Buffer;
  width: number;
  height: number;
}

/** Decodes, applying the EXIF orientation, always to 4 channels. */
export async function decodeRgba(sharp: SharpFactory, data: Buffer, maxPixels: number): Promise<RawImage> {
  const { data: pixels, info } = await sharp(data, { limitInputPixels: maxPixels, autoOrient: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { pixels, width: info.width, height: info.height };
}

export function encodePng(sharp: SharpFactory, image: RawImage): Promise<Buffer> {
  return sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 4 } }).png().toBuffer();
}

/** RGB from raw pixels of 1–4 channels: grey widened, alpha dropped. */
export function toRgb(pixels: Buffer, channels: number, count: number): Buffer {
  if (channels === 3) return pixels;
  const out = Buffer.alloc(count * 3);
  for (let i = 0; i < count; i += 1) {
    const s = i * channels;
    const grey = channels <= 2;
    out[i * 3] = pixels[s]!;
    out[i * 3 + 1] = grey ? pixels[s]! : pixels[s + 1]!;
    out[i * 3 + 2] = grey ? pixels[s]! : pixels[s + 2]!;
  }
  return out;
}

/** Between stages: a cancelled or timed-out task stops here. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("aborted");
}
