// `/upload/storage/v1/b/{bucket}/o`: the three JSON API upload types
// (`multipart`, `media`, `resumable`) and the resumable session URIs.
import { publicFromPredefinedAcl } from "./acl.ts";
import { verifyDeclaredHashes, parseGoogHash } from "./client-hashes.ts";
import type { RequestContext } from "./context.ts";
import { GcsError, badRequest } from "./errors.ts";
import { parseJsonObject, readBody, readJsonObject, sendJson } from "./http-io.ts";
import { boundaryOf, parseMultipart } from "./multipart.ts";
import { preconditionsFromQuery } from "./preconditions.ts";
import { objectResource, type ObjectAttributes } from "./records.ts";
import { replaceAttributes } from "./attributes.ts";

export async function handleUpload(ctx: RequestContext, bucket: string): Promise<void> {
  const { req, url, sessions } = ctx;
  const uploadId = url.searchParams.get("upload_id");
  if (uploadId !== null) {
    if (req.method === "DELETE") sessions.cancel(ctx, uploadId);
    else if (req.method === "PUT" || req.method === "POST") await sessions.put(ctx, uploadId);
    else throw new GcsError(405, "methodNotAllowed", `${req.method} is not supported on an upload session`);
    return;
  }
  if (req.method !== "POST") throw new GcsError(405, "methodNotAllowed", `${req.method} is not supported on uploads`);
  const uploadType = url.searchParams.get("uploadType") ?? "media";
  switch (uploadType) {
    case "multipart":
      return multipartUpload(ctx, bucket);
    case "media":
      return mediaUpload(ctx, bucket);
    case "resumable":
      return startResumable(ctx, bucket);
    default:
      throw badRequest(`Unsupported uploadType: ${uploadType}`);
  }
}

function objectNameOf(ctx: RequestContext, metadata: Record<string, unknown>): string {
  const name = ctx.url.searchParams.get("name") ?? metadata.name;
  if (typeof name !== "string" || name === "") throw new GcsError(400, "required", "Required: object name (the `name` parameter or metadata field)");
  return name;
}

function writeUploaded(ctx: RequestContext, bucket: string, name: string, data: Buffer, attributes: ObjectAttributes): void {
  const record = ctx.store.writeObject({
    bucket,
    name,
    data,
    attributes,
    publicRead: publicFromPredefinedAcl(ctx.url.searchParams.get("predefinedAcl")) ?? false,
    preconditions: preconditionsFromQuery(ctx.url.searchParams),
  });
  sendJson(ctx.res, 200, objectResource(record, ctx.baseUrl));
}

async function multipartUpload(ctx: RequestContext, bucket: string): Promise<void> {
  const parts = parseMultipart(await readBody(ctx.req), boundaryOf(ctx.req.headers["content-type"]));
  const [metadataPart, mediaPart] = parts;
  if (!metadataPart || !mediaPart || parts.length !== 2) throw badRequest("A multipart upload has exactly two parts: metadata, then media");
  const metadata = parseJsonObject(metadataPart.body.toString("utf8"));
  const attributes = replaceAttributes(metadata);
  attributes.contentType ??= mediaPart.headers["content-type"];
  verifyDeclaredHashes(mediaPart.body, {
    crc32c: typeof metadata.crc32c === "string" ? metadata.crc32c : undefined,
    md5: typeof metadata.md5Hash === "string" ? metadata.md5Hash : undefined,
  });
  writeUploaded(ctx, bucket, objectNameOf(ctx, metadata), Buffer.from(mediaPart.body), attributes);
}

async function mediaUpload(ctx: RequestContext, bucket: string): Promise<void> {
  const data = await readBody(ctx.req);
  verifyDeclaredHashes(data, parseGoogHash(ctx.req.headers["x-goog-hash"]));
  const contentType = ctx.req.headers["content-type"];
  writeUploaded(ctx, bucket, objectNameOf(ctx, {}), data, contentType ? { contentType } : {});
}

async function startResumable(ctx: RequestContext, bucket: string): Promise<void> {
  const metadata = await readJsonObject(ctx.req);
  const attributes = replaceAttributes(metadata);
  const announcedType = ctx.req.headers["x-upload-content-type"];
  if (typeof announcedType === "string") attributes.contentType ??= announcedType;
  const announcedLength = ctx.req.headers["x-upload-content-length"];
  const location = ctx.sessions.start(ctx, {
    bucket,
    name: objectNameOf(ctx, metadata),
    attributes,
    publicRead: publicFromPredefinedAcl(ctx.url.searchParams.get("predefinedAcl")) ?? false,
    preconditions: preconditionsFromQuery(ctx.url.searchParams),
    expectedSize: typeof announcedLength === "string" ? Number(announcedLength) : undefined,
  });
  ctx.res.writeHead(200, { Location: location, "Content-Length": 0 }).end();
}
