// Sends an object's bytes the way both download paths do: `x-goog-hash` so the
// client can check what it received, single `Range` requests as 206, and
// gzip-stored objects decompressed for clients that do not accept gzip.
import type { IncomingMessage, ServerResponse } from "node:http";
import { gunzipSync } from "node:zlib";
import { GcsError } from "./errors.ts";
import type { StoredObject } from "./store.ts";

export interface MediaOptions {
  /** `response-content-type` / `response-content-disposition` of signed URLs. */
  contentTypeOverride?: string | null;
  contentDispositionOverride?: string | null;
  /** The XML API also returns custom metadata as `x-goog-meta-*` headers. */
  metadataHeaders?: boolean;
}

/** An inclusive byte range; undefined when the header is absent or asks for several ranges. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const [, first = "", last = ""] = match;
  let start: number;
  let end: number;
  if (first === "") {
    const suffix = Number(last);
    start = Math.max(size - suffix, 0);
    end = size - 1;
    if (suffix === 0) throw unsatisfiable(size);
  } else {
    start = Number(first);
    end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  }
  if (start >= size || start > end) throw unsatisfiable(size);
  return { start, end };
}

function unsatisfiable(size: number): GcsError {
  return new GcsError(416, "requestedRangeNotSatisfiable", `The requested range cannot be satisfied (object size ${size}).`, "InvalidRange");
}

export function sendMedia(req: IncomingMessage, res: ServerResponse, { record, data }: StoredObject, options: MediaOptions = {}): void {
  const storedEncoding = record.contentEncoding ?? "identity";
  const acceptsGzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  const transcode = storedEncoding === "gzip" && !acceptsGzip;
  const headers: Record<string, string | number> = {
    "Content-Type": options.contentTypeOverride ?? record.contentType ?? "application/octet-stream",
    "ETag": `"${Buffer.from(record.md5Hash, "base64").toString("hex")}"`,
    "Last-Modified": new Date(record.updated).toUTCString(),
    "Accept-Ranges": transcode ? "none" : "bytes",
    "x-goog-generation": record.generation,
    "x-goog-metageneration": String(record.metageneration),
    "x-goog-hash": `crc32c=${record.crc32c},md5=${record.md5Hash}`,
    "x-goog-stored-content-length": record.size,
    "x-goog-stored-content-encoding": storedEncoding,
  };
  const disposition = options.contentDispositionOverride ?? record.contentDisposition;
  if (disposition) headers["Content-Disposition"] = disposition;
  if (record.cacheControl) headers["Cache-Control"] = record.cacheControl;
  if (record.contentLanguage) headers["Content-Language"] = record.contentLanguage;
  if (storedEncoding !== "identity" && !transcode) headers["Content-Encoding"] = storedEncoding;
  if (options.metadataHeaders) {
    for (const [key, value] of Object.entries(record.metadata ?? {})) headers[`x-goog-meta-${key}`] = value;
  }

  let body = transcode ? gunzipSync(data) : data;
  let status = 200;
  // Decompressive transcoding ignores Range, as the real service does.
  const range = transcode || body.length === 0 ? undefined : parseRange(req.headers.range, body.length);
  if (range) {
    status = 206;
    headers["Content-Range"] = `bytes ${range.start}-${range.end}/${body.length}`;
    body = body.subarray(range.start, range.end + 1);
  }
  headers["Content-Length"] = body.length;
  res.writeHead(status, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}
