// Face swap without a model: the face region of the source (given, or the
// centre of the image) is resized onto the face region of the target, its
// colours shifted a third of the way toward the target's (skin tone and light
// match a little, the face stays recognisable), through a feathered oval mask.
// Nothing is detected or aligned; the boxes decide everything.
import type { Box, ImagingResult, SourceImage } from "../../../tasks/media/imaging.ts";
import type { SharpFactory } from "../sharp-loader.ts";
import { decodeRgba, encodePng, throwIfAborted, type RawImage } from "./raw-image.ts";

const COLOUR_SHIFT = 0.35;

/** Where a face is assumed when no box is given: the middle, a little above centre. */
function defaultFaceBox(width: number, height: number): Box {
  return { x: Math.round(width * 0.25), y: Math.round(height * 0.15), width: Math.max(1, Math.round(width * 0.5)), height: Math.max(1, Math.round(height * 0.6)) };
}

/** The same relative place in an image of another size. */
export function scaleBox(box: Box, from: { width: number; height: number }, to: { width: number; height: number }): Box {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  const x = Math.min(to.width - 1, Math.round(box.x * sx));
  const y = Math.min(to.height - 1, Math.round(box.y * sy));
  return { x, y, width: Math.max(1, Math.min(to.width - x, Math.round(box.width * sx))), height: Math.max(1, Math.min(to.height - y, Math.round(box.height * sy))) };
}

/** Pure: alpha of a feathered oval filling a w×h box: opaque inside 70% of the radius, fading to 0 at the edge. */
export function ovalAlpha(width: number, height: number): Uint8Array {
  const alpha = new Uint8Array(width * height);
  const rx = width / 2;
  const ry = height / 2;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const dx = (x + 0.5 - rx) / rx;
      const dy = (y + 0.5 - ry) / ry;
      const d = Math.sqrt(dx * dx + dy * dy);
      const t = Math.min(1, Math.max(0, (1 - d) / 0.3));
      alpha[y * width + x] = Math.round(255 * t * t * (3 - 2 * t));
    }
  }
  return alpha;
}

function meanColour(image: RawImage, box: Box): [number, number, number] {
  const sums = [0, 0, 0];
  for (let y = box.y; y < box.y + box.height; y += 1) {
    for (let x = box.x; x < box.x + box.width; x += 1) {
      const i = (y * image.width + x) * 4;
      for (let c = 0; c < 3; c += 1) sums[c]! += image.pixels[i + c]!;
    }
  }
  const n = box.width * box.height;
  return [sums[0]! / n, sums[1]! / n, sums[2]! / n];
}

export async function swapFace(
  sharp: SharpFactory,
  request: { source: SourceImage; target: SourceImage; faceBox?: Box; targetBox?: Box },
  maxPixels: number,
  signal: AbortSignal,
): Promise<ImagingResult> {
  const { source, target } = request;
  const faceBox = request.faceBox ?? defaultFaceBox(source.info.width, source.info.height);
  const targetBox = request.targetBox ?? (request.faceBox ? scaleBox(faceBox, source.info, target.info) : defaultFaceBox(target.info.width, target.info.height));
  const face = await sharp(source.data, { limitInputPixels: maxPixels, autoOrient: true })
    .extract({ left: faceBox.x, top: faceBox.y, width: faceBox.width, height: faceBox.height })
    .toBuffer();
  throwIfAborted(signal);
  const resized = await decodeRgba(sharp, await sharp(face).resize(targetBox.width, targetBox.height, { fit: "fill" }).png().toBuffer(), maxPixels);
  throwIfAborted(signal);
  const base = await decodeRgba(sharp, target.data, maxPixels);
  const whole = { x: 0, y: 0, width: resized.width, height: resized.height };
  const faceMean = meanColour(resized, whole);
  const targetMean = meanColour(base, targetBox);
  const oval = ovalAlpha(resized.width, resized.height);
  for (let i = 0; i < oval.length; i += 1) {
    for (let c = 0; c < 3; c += 1) {
      const shifted = resized.pixels[i * 4 + c]! + (targetMean[c]! - faceMean[c]!) * COLOUR_SHIFT;
      resized.pixels[i * 4 + c] = Math.max(0, Math.min(255, Math.round(shifted)));
    }
    resized.pixels[i * 4 + 3] = Math.round((resized.pixels[i * 4 + 3]! * oval[i]!) / 255);
  }
  throwIfAborted(signal);
  const patch = await encodePng(sharp, resized);
  const composed = await sharp(await encodePng(sharp, base)).composite([{ input: patch, left: targetBox.x, top: targetBox.y }]).png().toBuffer();
  return { data: composed, metadata: { algorithm: "region composite through a feathered oval (not AI)", face_box: faceBox, target_box: targetBox } };
}
