// Maps a request path to its handler. Paths served:
//   /storage/v1/b/…            JSON API (also bare /b/…, what STORAGE_EMULATOR_HOST produces)
//   /download/storage/v1/b/…   media downloads (`mediaLink`)
//   /upload/storage/v1/b/{b}/o uploads and resumable sessions
//   /{bucket}/{object}         XML API: public and signed URLs
import { handleAcl } from "./acl.ts";
import { handleBucket, handleBucketCollection } from "./buckets-api.ts";
import type { RequestContext } from "./context.ts";
import { GcsError, sendJsonError, sendXmlError } from "./errors.ts";
import { handleObject, handleObjectCollection } from "./objects-api.ts";
import { handleUpload } from "./uploads.ts";
import { handleXmlObject } from "./xml-api.ts";

/** Splits the raw path and decodes each segment alone, so `%2F` stays inside a name. */
export function pathSegments(rawUrl: string): string[] {
  const path = rawUrl.split("?")[0] ?? "/";
  return path
    .split("/")
    .slice(1)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}

export async function route(ctx: RequestContext): Promise<void> {
  const [first, second, third, fourth, fifth, sixth] = ctx.segments;
  const jsonApi = first === "storage" || first === "download" || first === "upload" || first === "b";
  try {
    if (first === "upload" && second === "storage" && third === "v1" && fourth === "b" && fifth && sixth === "o") {
      await handleUpload(ctx, fifth);
    } else if (first === "storage" && second === "v1") {
      await routeJson(ctx, ctx.segments.slice(2));
    } else if (first === "download" && second === "storage" && third === "v1") {
      await routeJson(ctx, ctx.segments.slice(3));
    } else if (first === "b") {
      await routeJson(ctx, ctx.segments);
    } else if (!first) {
      ctx.res.writeHead(200, { "Content-Type": "text/plain" }).end("Cloud Storage emulator\n");
    } else if (ctx.segments.length < 2 || ctx.segments.slice(1).join("/") === "") {
      throw new GcsError(501, "notImplemented", "Bucket-level XML API requests are not emulated; use the JSON API", "NotImplemented");
    } else {
      await handleXmlObject(ctx, first, ctx.segments.slice(1).join("/"));
    }
  } catch (error) {
    if (ctx.res.headersSent) ctx.res.destroy();
    else if (jsonApi) sendJsonError(ctx.res, error);
    else sendXmlError(ctx.res, error);
  }
}

async function routeJson(ctx: RequestContext, rest: string[]): Promise<void> {
  const [b, bucket, kind, name, action, ...tail] = rest;
  const notFound = () => new GcsError(404, "notFound", `Not Found: ${ctx.req.method} ${ctx.url.pathname}`);
  if (b !== "b") throw notFound();
  if (bucket === undefined || bucket === "") return handleBucketCollection(ctx);
  if (kind === undefined) return handleBucket(ctx, bucket);
  if (kind === "acl" || kind === "defaultObjectAcl") return handleAcl(ctx, bucket, undefined, name);
  if (kind !== "o") throw notFound();
  if (name === undefined || name === "") return handleObjectCollection(ctx, bucket);
  if (action === undefined) return handleObject(ctx, bucket, name);
  if (action === "acl") return handleAcl(ctx, bucket, name, tail[0]);
  if (action === "compose" || action === "copyTo" || action === "rewriteTo") {
    throw new GcsError(501, "notImplemented", `${action} is not implemented by the Cloud Storage emulator (emulators/gcs/README.md)`, "NotImplemented");
  }
  throw notFound();
}
