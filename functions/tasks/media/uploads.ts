// What the api asks of the media domain outside a task (functions/api/routes/uploads.ts):
// a place for a caller's image, under the caller's tenant, since a media task
// reads only its own tenant's uploads.
import { randomUUID } from "node:crypto";
import { blobs, type UsedPorts } from "../../core/task-kit.ts";
import { imaging } from "./ports.ts";
import { extensionOf, mediaPrefix, type ImageContentType } from "./image-ref.ts";

export const uploadUses = { blobs, imaging };
type UploadPorts = UsedPorts<typeof uploadUses>;

const uploadPath = (tenant: string, contentType: ImageContentType) => `${mediaPrefix(tenant)}uploads/${randomUUID()}.${extensionOf(contentType)}`;

/** The largest image a media task takes (MEDIA_MAX_INPUT_BYTES). */
export const uploadLimitBytes = (ports: Pick<UploadPorts, "imaging">): number => ports.imaging.limits.maxInputBytes;

/** A signed PUT URL for one image, and the gs:// URI a task is then given. */
export async function signUpload(ports: Pick<UploadPorts, "blobs">, tenant: string, contentType: ImageContentType, expiresSeconds: number): Promise<{ uploadUrl: string; gsUri: string }> {
  const path = uploadPath(tenant, contentType);
  return { uploadUrl: await ports.blobs.writeUrl(path, contentType, expiresSeconds), gsUri: ports.blobs.uri(path) };
}

/** Stores image bytes (already checked to be `contentType`); answers their gs:// URI. */
export function storeUpload(ports: Pick<UploadPorts, "blobs">, tenant: string, contentType: ImageContentType, data: Buffer): Promise<{ uri: string; bytes: number }> {
  return ports.blobs.put(uploadPath(tenant, contentType), data, { contentType });
}
