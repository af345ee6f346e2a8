// The imaging port: five image jobs behind one interface, so a GPU inference
// service, a hosted API or the offline sharp pipelines plug in by configuration.

export const ImageFormat = ["png", "jpeg", "webp"] as const;
export type ImageFormat = (typeof ImageFormat)[number];

/** The styles every provider must offer for style transfer (the API's closed list). */
export const ImageStyle = ["sepia", "noir", "sketch", "posterize", "watercolor", "emboss"] as const;
export type ImageStyle = (typeof ImageStyle)[number];

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

/** An input already fetched, size-capped and probed. */
export interface SourceImage {
  data: Buffer;
  info: ImageInfo;
}

/** A rectangle in pixels of the image it refers to. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ImagingResult {
  /** The output image (png, jpeg or webp); the caller probes it. */
  data: Buffer;
  /** Provider-specific facts worth showing (model, seed, timings). */
  metadata: Record<string, unknown>;
}

export interface ImagingLimits {
  /** Largest input image, bytes (uploads, downloads, storage reads). */
  maxInputBytes: number;
  /** Largest inline data: URL accepted at submit (moved to storage there). */
  maxInlineBytes: number;
  /** Largest decoded input, width × height. */
  maxInputPixels: number;
}

export interface GenerationRequest {
  prompt: string;
  negativePrompt?: string;
  width: number;
  height: number;
  seed: number;
  steps: number;
}

/**
 * Every method honours `signal` (cancel, soft time limit) and throws
 * NonRetryableError for what a retry cannot fix, RetryAfterError when the
 * provider asks to come back later, anything else to be retried.
 */
export interface Imaging {
  /** "local", "http", …: recorded in each result. */
  readonly provider: string;
  readonly limits: ImagingLimits;
  /** Reads an image's header: NonRetryableError unless png/jpeg/webp within maxInputPixels. */
  probe(data: Buffer): Promise<ImageInfo>;
  generate(request: GenerationRequest, signal: AbortSignal): Promise<ImagingResult>;
  /** Puts the face in `faceBox` of the source (default: found, or the centre) onto `targetBox` of the target. */
  swapFace(request: { source: SourceImage; target: SourceImage; faceBox?: Box; targetBox?: Box }, signal: AbortSignal): Promise<ImagingResult>;
  /** A PNG with the background transparent. */
  removeBackground(request: { image: SourceImage }, signal: AbortSignal): Promise<ImagingResult>;
  /** Fills the region given by the mask (white = remove, same size as the image) or the box. */
  removeObject(request: { image: SourceImage; mask?: SourceImage; box?: Box }, signal: AbortSignal): Promise<ImagingResult>;
  /** strength 0 keeps the image, 1 applies the style fully. */
  transferStyle(request: { image: SourceImage; style: ImageStyle; strength: number }, signal: AbortSignal): Promise<ImagingResult>;
}
