// Style transfer without a model: each named style is a pipeline of classic
// filters. Stages run one sharp call at a time (sharp reorders operations within
// one call), so the order below is the order applied, and a cancel is seen
// between stages. Stages see RGB only (convolutions would wipe an alpha channel,
// and sharp premultiplies by it); `strength` blends the result into the
// original, whose alpha is kept.
import type { Sharp } from "sharp";
import type { ImageStyle, ImagingResult, SourceImage } from "../../../tasks/media/imaging.ts";
import type { SharpFactory } from "../sharp-loader.ts";
import { decodeRgba, encodePng, throwIfAborted, toRgb, type RawImage } from "./raw-image.ts";

/** RGB pixels, 3 channels. */
interface RgbImage {
  pixels: Buffer;
  width: number;
  height: number;
}

type Stage = { kind: "sharp"; apply: (image: Sharp) => Sharp } | { kind: "pixels"; apply: (image: RgbImage) => void };

const sharpStage = (apply: (image: Sharp) => Sharp): Stage => ({ kind: "sharp", apply });

function posterize(levels: number): Stage {
  const step = 255 / (levels - 1);
  return {
    kind: "pixels",
    apply: ({ pixels }) => {
      for (let i = 0; i < pixels.length; i += 1) pixels[i] = Math.round(Math.round(pixels[i]! / step) * step);
    },
  };
}

const STYLE_PIPELINES: Record<ImageStyle, Stage[]> = {
  sepia: [sharpStage((i) => i.recomb([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]]))],
  noir: [sharpStage((i) => i.greyscale()), sharpStage((i) => i.linear(1.5, -64)), sharpStage((i) => i.gamma(1.2))],
  sketch: [
    sharpStage((i) => i.greyscale()),
    sharpStage((i) => i.blur(0.8)),
    sharpStage((i) => i.convolve({ width: 3, height: 3, kernel: [-1, -1, -1, -1, 8, -1, -1, -1, -1] })),
    sharpStage((i) => i.negate()),
    sharpStage((i) => i.linear(1.3, -60)),
  ],
  posterize: [sharpStage((i) => i.modulate({ saturation: 1.3 })), posterize(4)],
  watercolor: [sharpStage((i) => i.median(5)), sharpStage((i) => i.blur(1.5)), sharpStage((i) => i.modulate({ saturation: 1.6, brightness: 1.05 }))],
  emboss: [sharpStage((i) => i.greyscale()), sharpStage((i) => i.convolve({ width: 3, height: 3, kernel: [-2, -1, 0, -1, 1, 1, 0, 1, 2] }))],
};

/** Pure: out = original·(1−s) + styled·s on colour (styled is RGB); alpha stays the original's. */
export function blend(original: RawImage, styled: Buffer, strength: number): void {
  const { pixels } = original;
  const count = original.width * original.height;
  for (let i = 0; i < count; i += 1) {
    for (let c = 0; c < 3; c += 1) {
      pixels[i * 4 + c] = Math.round(pixels[i * 4 + c]! * (1 - strength) + styled[i * 3 + c]! * strength);
    }
  }
}

export async function transferStyle(
  sharp: SharpFactory,
  request: { image: SourceImage; style: ImageStyle; strength: number },
  maxPixels: number,
  signal: AbortSignal,
): Promise<ImagingResult> {
  const original = await decodeRgba(sharp, request.image.data, maxPixels);
  const { width, height } = original;
  const stages = STYLE_PIPELINES[request.style];
  let current: RgbImage = { pixels: toRgb(original.pixels, 4, width * height), width, height };
  for (const stage of stages) {
    throwIfAborted(signal);
    if (stage.kind === "pixels") {
      stage.apply(current);
      continue;
    }
    const { data, info } = await stage
      .apply(sharp(current.pixels, { raw: { width, height, channels: 3 } }))
      .raw()
      .toBuffer({ resolveWithObject: true });
    current = { pixels: toRgb(data, info.channels, width * height), width, height };
  }
  throwIfAborted(signal);
  blend(original, current.pixels, request.strength);
  const data = await encodePng(sharp, original);
  return { data, metadata: { algorithm: `filter pipeline "${request.style}" (not AI)`, stages: stages.length, strength: request.strength } };
}
