// How an image reaches a media task: never as bytes in the task body. An
// https:// URL (fetched behind the SSRF guard), a gs:// URI in the platform's
// bucket under media/ (POST /v1/uploads gives one), or, for small images only,
// a data: URL that submit moves to storage before anything is queued.
import { z } from "zod";

export const IMAGE_CONTENT_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

/** Objects a task may read: uploads and other media tasks' outputs, nothing else in the bucket. */
const MEDIA_PREFIX = "media/";

/** A tenant's uploads and media outputs; a task reads only its own tenant's. */
export const mediaPrefix = (tenant: string): string => `${MEDIA_PREFIX}${encodeURIComponent(tenant)}/`;

export type ImageRef =
  | { kind: "url"; url: URL }
  | { kind: "gcs"; bucket: string; path: string }
  | { kind: "inline"; contentType: ImageContentType; base64: string };

const MAX_URL_LENGTH = 4096;
const DATA_URL = /^data:(image\/(?:png|jpeg|webp));base64,/i;

export function parseImageRef(value: string): ImageRef | { error: string } {
  const inline = DATA_URL.exec(value);
  if (inline) {
    const base64 = value.slice(inline[0].length).replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return { error: "the data: URL is not valid base64" };
    return { kind: "inline", contentType: inline[1]!.toLowerCase() as ImageContentType, base64 };
  }
  if (/^data:/i.test(value)) return { error: "an inline image must be a data:image/png, image/jpeg or image/webp URL with ;base64," };
  if (value.length > MAX_URL_LENGTH) return { error: `an image URL may be at most ${MAX_URL_LENGTH} characters` };
  if (value.startsWith("gs://")) {
    const rest = value.slice(5);
    const slash = rest.indexOf("/");
    if (slash <= 0 || slash === rest.length - 1) return { error: "a gs:// URI must name a bucket and an object: gs://bucket/media/…" };
    return { kind: "gcs", bucket: rest.slice(0, slash), path: rest.slice(slash + 1) };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { error: "must be an https:// URL, a gs:// URI (from POST /v1/uploads) or a data:image/png|jpeg|webp;base64 URL" };
  }
  // http: passes here only so the fetch policy can name the reason (allowed for allow-listed dev hosts only).
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { error: `${url.protocol}// is not accepted: use https://, gs:// or a data:image URL` };
  }
  if (url.username || url.password) return { error: "image URLs may not carry credentials" };
  return { kind: "url", url };
}

export const imageRef = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const ref = parseImageRef(value);
    if ("error" in ref) ctx.addIssue({ code: "custom", message: ref.error });
  })
  .describe("https:// URL, gs:// URI from POST /v1/uploads, or a small data:image/…;base64 URL");

/** The format the bytes say they are, from their first bytes; null when none we accept. */
export function sniffImageType(data: Buffer): ImageContentType | null {
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return "image/jpeg";
  if (data.length >= 12 && data.toString("latin1", 0, 4) === "RIFF" && data.toString("latin1", 8, 12) === "WEBP") return "image/webp";
  return null;
}

export const extensionOf = (contentType: ImageContentType): string => contentType.slice("image/".length).replace("jpeg", "jpg");

/** A box in pixels of the image it refers to; whether it fits is checked once the image is read. */
export const pixelBox = z.strictObject({
  x: z.number().int().min(0).max(16_384),
  y: z.number().int().min(0).max(16_384),
  width: z.number().int().min(1).max(16_384),
  height: z.number().int().min(1).max(16_384),
});
