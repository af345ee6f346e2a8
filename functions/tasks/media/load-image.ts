// At execution: an image reference becomes checked bytes. Reads are size-capped,
// URLs go through the SSRF-guarded fetcher again (DNS may have changed since
// submit), and the header is probed, pixel count included, before any decode.
import type { MediaContext } from "./ports.ts";
import type { SourceImage } from "./imaging.ts";
import { NonRetryableError, isNonRetryable } from "../../core/task-kit.ts";
import { IMAGE_CONTENT_TYPES, mediaPrefix, parseImageRef } from "./image-ref.ts";

/** NonRetryableErrors name the field, so a FAILURE says which input was wrong. */
async function forField<T>(field: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isNonRetryable(error)) throw new NonRetryableError(`payload.${field}: ${(error as Error).message}`, { cause: error });
    throw error;
  }
}

export function loadImage(ctx: MediaContext, field: string, value: string): Promise<SourceImage> {
  return forField(field, async () => {
    const ref = parseImageRef(value);
    if ("error" in ref) throw new NonRetryableError(ref.error);
    const maxBytes = ctx.imaging.limits.maxInputBytes;
    let data: Buffer;
    switch (ref.kind) {
      case "inline":
        throw new NonRetryableError("inline images are moved to storage at submit; this task was not submitted through the platform");
      case "gcs": {
        if (ref.bucket !== ctx.blobs.bucket || !ref.path.startsWith(mediaPrefix(ctx.tenant)) || ref.path.split("/").includes("..")) {
          throw new NonRetryableError(`gs:// inputs must be in gs://${ctx.blobs.bucket}/${mediaPrefix(ctx.tenant)}`);
        }
        const read = await ctx.blobs.get(`gs://${ref.bucket}/${ref.path}`, { maxBytes });
        if (!read) throw new NonRetryableError(`gs://${ref.bucket}/${ref.path} does not exist`);
        data = read;
        break;
      }
      case "url":
        data = (await ctx.remoteFiles.download(ref.url.toString(), { maxBytes, accept: IMAGE_CONTENT_TYPES, signal: ctx.signal })).data;
        break;
    }
    ctx.signal.throwIfAborted();
    return { data, info: await ctx.imaging.probe(data) };
  });
}

/** The box must lie inside the image it refers to. */
export function checkBoxInside(field: string, box: { x: number; y: number; width: number; height: number }, image: SourceImage, imageField: string): void {
  const { width, height } = image.info;
  if (box.x + box.width > width || box.y + box.height > height) {
    throw new NonRetryableError(
      `payload.${field} (x ${box.x}, y ${box.y}, ${box.width}×${box.height}) reaches outside payload.${imageField}, which is ${width}×${height}`,
    );
  }
}
