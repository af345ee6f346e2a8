// The submit-time step of every media task with image inputs: checks what can
// be checked before anything is queued (a URL's host against the SSRF policy, a
// gs:// object's existence, size and type) and moves small inline images to
// storage, so that only URIs travel in the task body and sit in Redis.
import { SubmissionError, type FieldIssue, type PrepareContext } from "../../core/task-kit.ts";
import type { mediaUses } from "./ports.ts";
import { IMAGE_CONTENT_TYPES, mediaPrefix, extensionOf, parseImageRef, sniffImageType, type ImageContentType } from "./image-ref.ts";

interface InlineImage {
  field: string;
  data: Buffer;
  contentType: ImageContentType;
}

/** A prepare step for the named image fields of a task's input. */
export function prepareImages(fields: readonly string[]) {
  return async <T extends object>(input: T, ctx: PrepareContext<typeof mediaUses>): Promise<T> => {
    const issues: FieldIssue[] = [];
    const inline: InlineImage[] = [];
    await Promise.all(
      fields.map(async (field) => {
        const value = (input as Record<string, unknown>)[field];
        if (typeof value !== "string") return;
        const problem = await checkImage(field, value, ctx, inline);
        if (problem) issues.push({ path: `payload.${field}`, message: problem });
      }),
    );
    if (issues.length > 0) {
      throw new SubmissionError("invalid_payload", issues.map((i) => `${i.path}: ${i.message}`).join("; "), { fields: issues });
    }
    const prepared: Record<string, unknown> = { ...(input as Record<string, unknown>) };
    for (const image of inline) {
      const path = `${mediaPrefix(ctx.tenant)}${ctx.taskId}/input-${image.field}.${extensionOf(image.contentType)}`;
      const stored = await ctx.blobs.put(path, image.data, { contentType: image.contentType, metadata: { task_id: ctx.taskId, field: image.field } });
      prepared[image.field] = stored.uri;
    }
    return prepared as T;
  };
}

/** Returns what is wrong with the image reference, if anything; throws for 413. */
async function checkImage(field: string, value: string, ctx: PrepareContext<typeof mediaUses>, inline: InlineImage[]): Promise<string | null> {
  const ref = parseImageRef(value);
  if ("error" in ref) return ref.error;
  const limits = ctx.imaging.limits;
  switch (ref.kind) {
    case "inline": {
      const bytes = Math.floor((ref.base64.length * 3) / 4);
      if (bytes > limits.maxInlineBytes) throw tooLarge(field, `the inline image is about ${bytes} bytes; inline images may be at most ${limits.maxInlineBytes} bytes — upload it with POST /v1/uploads and pass the gs:// URI`, limits.maxInlineBytes);
      const data = Buffer.from(ref.base64, "base64");
      if (data.length === 0) return "the data: URL holds no bytes";
      const sniffed = sniffImageType(data);
      if (sniffed !== ref.contentType) return `the data: URL says ${ref.contentType} but holds ${sniffed ?? "no png, jpeg or webp image"}`;
      inline.push({ field, data, contentType: sniffed });
      return null;
    }
    case "url": {
      const verdict = await ctx.remoteFiles.check(ref.url.toString());
      return verdict.allowed ? null : `this URL will not be fetched: ${verdict.reason}`;
    }
    case "gcs": {
      if (ref.bucket !== ctx.blobs.bucket) return `gs:// inputs must be in the platform's bucket (${ctx.blobs.bucket}); upload with POST /v1/uploads`;
      // Another tenant's object is as absent as one that never existed.
      if (!ref.path.startsWith(mediaPrefix(ctx.tenant)) || ref.path.split("/").includes("..")) return `gs://${ref.bucket}/${ref.path} does not exist (was the upload finished?)`;
      const info = await ctx.blobs.stat(ref.path);
      if (!info) return `gs://${ref.bucket}/${ref.path} does not exist (was the upload finished?)`;
      if (info.bytes > limits.maxInputBytes) throw tooLarge(field, `gs://${ref.bucket}/${ref.path} is ${info.bytes} bytes; the limit is ${limits.maxInputBytes}`, limits.maxInputBytes);
      const type = info.contentType.split(";")[0]!.trim().toLowerCase();
      if (!(IMAGE_CONTENT_TYPES as readonly string[]).includes(type)) return `gs://${ref.bucket}/${ref.path} is ${type}; expected ${IMAGE_CONTENT_TYPES.join(", ")}`;
      return null;
    }
  }
}

function tooLarge(field: string, message: string, limit: number): SubmissionError {
  return new SubmissionError("payload_too_large", `payload.${field}: ${message}`, { field: `payload.${field}`, limit_bytes: limit });
}
