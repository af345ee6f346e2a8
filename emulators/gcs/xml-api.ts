// The XML API object path `/{bucket}/{object}`: public URLs, signed URLs
// (read, write, resumable start, delete) and authenticated XML requests.
// Credentials are not checked anywhere in the emulator: any Authorization
// header passes, as on the JSON API; without one the request needs a valid
// signed URL or a public object.
import { publicFromPredefinedAcl } from "./acl.ts";
import { parseGoogHash, verifyDeclaredHashes } from "./client-hashes.ts";
import type { RequestContext } from "./context.ts";
import { GcsError } from "./errors.ts";
import { readBody } from "./http-io.ts";
import { sendMedia } from "./media.ts";
import { preconditionsFromHeaders } from "./preconditions.ts";
import type { ObjectAttributes } from "./records.ts";
import { isSignedUrl, verifySignedUrl } from "./signed-url.ts";

export async function handleXmlObject(ctx: RequestContext, bucket: string, name: string): Promise<void> {
  const { req, res, url, store } = ctx;
  const method = req.method ?? "GET";
  const reading = method === "GET" || method === "HEAD";
  if (isSignedUrl(url.searchParams)) verifySignedUrl(req, url, ctx.signers);
  else if (req.headers.authorization === undefined && !(reading && isPublic(ctx, bucket, name))) {
    throw new GcsError(403, "forbidden", `Anonymous caller does not have storage.objects.${reading ? "get" : "create"} access to ${bucket}/${name}.`, "AccessDenied");
  }
  switch (method) {
    case "GET":
    case "HEAD":
      sendMedia(req, res, store.getObject(bucket, name, url.searchParams.get("generation")), {
        contentTypeOverride: url.searchParams.get("response-content-type"),
        contentDispositionOverride: url.searchParams.get("response-content-disposition"),
        metadataHeaders: true,
      });
      return;
    case "PUT":
      return putObject(ctx, bucket, name);
    case "POST":
      if (req.headers["x-goog-resumable"] !== "start") {
        throw new GcsError(400, "invalid", "POST on an object path needs x-goog-resumable: start", "InvalidArgument");
      }
      startResumable(ctx, bucket, name);
      return;
    case "DELETE":
      store.deleteObject(bucket, name, preconditionsFromHeaders(req.headers), url.searchParams.get("generation"));
      res.writeHead(204).end();
      return;
    default:
      throw new GcsError(405, "methodNotAllowed", `${method} is not supported on an object`, "MethodNotAllowed");
  }
}

function isPublic(ctx: RequestContext, bucket: string, name: string): boolean {
  if (ctx.store.getBucket(bucket).publicRead) return true;
  return ctx.store.findObject(bucket, name)?.record.publicRead ?? false;
}

/** Object metadata travels in headers on the XML API. */
function attributesFromHeaders(headers: RequestContext["req"]["headers"]): ObjectAttributes {
  const attributes: ObjectAttributes = {};
  const header = (name: string) => {
    const value = headers[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  attributes.contentType = header("content-type");
  attributes.contentEncoding = header("content-encoding");
  attributes.contentDisposition = header("content-disposition");
  attributes.contentLanguage = header("content-language");
  attributes.cacheControl = header("cache-control");
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith("x-goog-meta-") && typeof value === "string") {
      attributes.metadata = { ...attributes.metadata, [name.slice("x-goog-meta-".length)]: value };
    }
  }
  return attributes;
}

async function putObject(ctx: RequestContext, bucket: string, name: string): Promise<void> {
  const { req, res } = ctx;
  const data = await readBody(req);
  const contentMd5 = req.headers["content-md5"];
  verifyDeclaredHashes(data, { ...parseGoogHash(req.headers["x-goog-hash"]), ...(typeof contentMd5 === "string" ? { md5: contentMd5 } : {}) });
  const record = ctx.store.writeObject({
    bucket,
    name,
    data,
    attributes: attributesFromHeaders(req.headers),
    publicRead: publicFromPredefinedAcl(req.headers["x-goog-acl"] as string | undefined) ?? false,
    preconditions: preconditionsFromHeaders(req.headers),
  });
  res
    .writeHead(200, {
      "ETag": `"${Buffer.from(record.md5Hash, "base64").toString("hex")}"`,
      "x-goog-generation": record.generation,
      "x-goog-metageneration": String(record.metageneration),
      "x-goog-hash": `crc32c=${record.crc32c},md5=${record.md5Hash}`,
      "x-goog-stored-content-length": record.size,
      "Content-Length": 0,
    })
    .end();
}

/** XML resumable start (`action: "resumable"` signed URLs); the session then takes the JSON API's PUTs. */
function startResumable(ctx: RequestContext, bucket: string, name: string): void {
  const location = ctx.sessions.start(ctx, {
    bucket,
    name,
    attributes: attributesFromHeaders(ctx.req.headers),
    publicRead: publicFromPredefinedAcl(ctx.req.headers["x-goog-acl"] as string | undefined) ?? false,
    preconditions: preconditionsFromHeaders(ctx.req.headers),
    expectedSize: undefined,
  });
  ctx.res.writeHead(201, { Location: location, "Content-Length": 0 }).end();
}
