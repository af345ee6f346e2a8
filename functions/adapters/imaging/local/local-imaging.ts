// The offline imaging provider: the classic, non-AI version of each job on
// sharp, so the platform runs end to end without a GPU or an API key. Its
// results are illustrations of the pipeline, not model output.
import type { Box, GenerationRequest, ImageInfo, ImageStyle, Imaging, ImagingLimits, ImagingResult, SourceImage } from "../../../tasks/media/imaging.ts";
import { loadSharp } from "../sharp-loader.ts";
import { probeImage } from "../probe.ts";
import { generateImage } from "./generate.ts";
import { removeBackground } from "./background.ts";
import { removeObject } from "./inpaint.ts";
import { transferStyle } from "./styles.ts";
import { swapFace } from "./face-swap.ts";

export class LocalImaging implements Imaging {
  readonly provider = "local";
  readonly limits: ImagingLimits;

  constructor(options: { limits: ImagingLimits }) {
    this.limits = options.limits;
  }

  probe(data: Buffer): Promise<ImageInfo> {
    return probeImage(data, this.limits.maxInputPixels);
  }

  async generate(request: GenerationRequest, signal: AbortSignal): Promise<ImagingResult> {
    return generateImage(await loadSharp(), request, signal);
  }

  async swapFace(request: { source: SourceImage; target: SourceImage; faceBox?: Box; targetBox?: Box }, signal: AbortSignal): Promise<ImagingResult> {
    return swapFace(await loadSharp(), request, this.limits.maxInputPixels, signal);
  }

  async removeBackground(request: { image: SourceImage }, signal: AbortSignal): Promise<ImagingResult> {
    return removeBackground(await loadSharp(), request, this.limits.maxInputPixels, signal);
  }

  async removeObject(request: { image: SourceImage; mask?: SourceImage; box?: Box }, signal: AbortSignal): Promise<ImagingResult> {
    return removeObject(await loadSharp(), request, this.limits.maxInputPixels, signal);
  }

  async transferStyle(request: { image: SourceImage; style: ImageStyle; strength: number }, signal: AbortSignal): Promise<ImagingResult> {
    return transferStyle(await loadSharp(), request, this.limits.maxInputPixels, signal);
  }
}
