// The imaging port over HTTP: one JSON contract (docs/media.md) that a
// self-hosted GPU inference service or a hosted API's thin shim implements.
//   POST {base}/v1/{operation}   Authorization: Bearer {token} (when configured)
//   {"params": {...}, "images": {"image": {"data": base64, "content_type", "width", "height"}, ...}}
//   200 {"image": {"data": base64, "content_type"}, "metadata": {...}}
// 429 (Retry-After) → RetryAfterError; other 4xx → NonRetryableError; 5xx,
// timeouts and network errors → retried.
import { NonRetryableError, RetryAfterError } from "../../core/errors.ts";
import type { Box, GenerationRequest, ImageInfo, ImageStyle, Imaging, ImagingLimits, ImagingResult, SourceImage } from "../../tasks/media/imaging.ts";
import { probeImage } from "./probe.ts";
import { retryAfterSeconds } from "../remote-files/retry-after.ts";

export const ImagingOperation = ["image_generation", "face_swap", "background_removal", "object_removal", "style_transfer"] as const;
export type ImagingOperation = (typeof ImagingOperation)[number];

export interface HttpImagingOptions {
  /** Base URL of the provider, e.g. https://gpu.internal.example.com. */
  url: string;
  /** Sent as a bearer token when set; never logged. */
  token?: string;
  /** Per request. Default 120,000 ms. */
  timeoutMs?: number;
  /** Largest answer accepted, bytes. Default 64 MB. */
  maxResponseBytes?: number;
  limits: ImagingLimits;
}

const wireImage = (image: SourceImage) => ({
  data: image.data.toString("base64"),
  content_type: `image/${image.info.format}`,
  width: image.info.width,
  height: image.info.height,
});
const wireBox = (box: Box | undefined) => (box ? { x: box.x, y: box.y, width: box.width, height: box.height } : undefined);

export class HttpImaging implements Imaging {
  readonly provider = "http";
  readonly limits: ImagingLimits;
  readonly #options: HttpImagingOptions;

  constructor(options: HttpImagingOptions) {
    this.#options = options;
    this.limits = options.limits;
  }

  probe(data: Buffer): Promise<ImageInfo> {
    return probeImage(data, this.limits.maxInputPixels);
  }

  generate(request: GenerationRequest, signal: AbortSignal): Promise<ImagingResult> {
    const { prompt, negativePrompt, width, height, seed, steps } = request;
    return this.#call("image_generation", { prompt, negative_prompt: negativePrompt ?? null, width, height, seed, steps }, {}, signal);
  }

  swapFace(request: { source: SourceImage; target: SourceImage; faceBox?: Box; targetBox?: Box }, signal: AbortSignal): Promise<ImagingResult> {
    return this.#call("face_swap", { face_box: wireBox(request.faceBox) ?? null, target_face_box: wireBox(request.targetBox) ?? null }, { source: request.source, target: request.target }, signal);
  }

  removeBackground(request: { image: SourceImage }, signal: AbortSignal): Promise<ImagingResult> {
    return this.#call("background_removal", {}, { image: request.image }, signal);
  }

  removeObject(request: { image: SourceImage; mask?: SourceImage; box?: Box }, signal: AbortSignal): Promise<ImagingResult> {
    return this.#call("object_removal", { box: wireBox(request.box) ?? null }, { image: request.image, ...(request.mask ? { mask: request.mask } : {}) }, signal);
  }

  transferStyle(request: { image: SourceImage; style: ImageStyle; strength: number }, signal: AbortSignal): Promise<ImagingResult> {
    return this.#call("style_transfer", { style: request.style, strength: request.strength }, { image: request.image }, signal);
  }

  async #call(operation: ImagingOperation, params: Record<string, unknown>, images: Record<string, SourceImage>, signal: AbortSignal): Promise<ImagingResult> {
    const timeoutMs = this.#options.timeoutMs ?? 120_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const endpoint = `${this.#options.url.replace(/\/+$/, "")}/v1/${operation}`;
    const body = JSON.stringify({ params, images: Object.fromEntries(Object.entries(images).map(([name, image]) => [name, wireImage(image)])) });
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          ...(this.#options.token ? { Authorization: `Bearer ${this.#options.token}` } : {}),
        },
        body,
        signal: AbortSignal.any([signal, timeout]),
        redirect: "error",
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (timeout.aborted) throw new Error(`imaging provider: ${operation} timed out after ${timeoutMs} ms`);
      throw new Error(`imaging provider unreachable: ${(error as Error).message}`);
    }
    let text: string;
    try {
      text = await this.#readCapped(response);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (timeout.aborted) throw new Error(`imaging provider: ${operation} timed out after ${timeoutMs} ms`);
      throw error;
    }
    if (response.status === 429) {
      throw new RetryAfterError(`imaging provider is rate limiting ${operation} (429)`, retryAfterSeconds(response.headers.get("retry-after"), 10));
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 408) {
      throw new NonRetryableError(`imaging provider refused ${operation} with ${response.status}: ${errorMessage(text)}`);
    }
    if (!response.ok) throw new Error(`imaging provider answered ${response.status} to ${operation}: ${errorMessage(text)}`);
    let answer: { image?: { data?: unknown }; metadata?: unknown };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw new Error(`imaging provider answered ${operation} with invalid JSON`);
    }
    if (typeof answer.image?.data !== "string" || answer.image.data.length === 0) {
      throw new Error(`imaging provider answered ${operation} without image.data`);
    }
    const metadata = answer.metadata && typeof answer.metadata === "object" && !Array.isArray(answer.metadata) ? (answer.metadata as Record<string, unknown>) : {};
    return { data: Buffer.from(answer.image.data, "base64"), metadata };
  }

  async #readCapped(response: Response): Promise<string> {
    const cap = this.#options.maxResponseBytes ?? 64 * 1024 * 1024;
    const declared = Number(response.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > cap) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`imaging provider's answer is ${declared} bytes; the limit is ${cap}`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const reader = response.body?.getReader();
    for (;;) {
      const next = reader ? await reader.read() : { done: true as const, value: undefined };
      if (next.done) break;
      total += next.value.length;
      if (total > cap) {
        await reader?.cancel().catch(() => undefined);
        throw new Error(`imaging provider's answer is larger than ${cap} bytes`);
      }
      chunks.push(Buffer.from(next.value));
    }
    return Buffer.concat(chunks).toString("utf8");
  }
}

/** The provider's own words, briefly: {"error": {"message"}} or {"error": "…"} or the text. */
function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof parsed.error === "string" ? parsed.error : parsed.error?.message ?? parsed.message;
    if (typeof message === "string") return message.slice(0, 300);
  } catch {
    // not JSON: fall through to the text
  }
  return text.slice(0, 300) || "(no body)";
}
