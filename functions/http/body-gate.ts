// Limits on every request body, checked before anything works on it: the size
// (from Content-Length, else while the stream is read), the media type, the
// charset and content coding, and the nesting depth of JSON. A body that passes
// is parsed here, once; express's body parsers (which functions-framework runs
// before our function, with a 1 GB limit) then see a finished request and skip
// it. Runs before auth, so an anonymous caller cannot make us read 40 MB.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, sendError } from "./json.ts";

export interface BodyLimits {
  /** Largest JSON body, bytes. */
  maxJsonBytes: number;
  /** Deepest nesting of arrays and objects in a JSON body. */
  maxJsonDepth: number;
  /** Raw (non-JSON) bodies a route takes: method, path, media types and their size limit. */
  rawBodies: { method: string; path: string; types: readonly string[]; maxBytes: number }[];
}

interface GatedRequest extends IncomingMessage {
  body?: unknown;
  rawBody?: Buffer;
}

/** A body is present when it declares a length above 0, or comes chunked (node's own test). */
export const hasBody = (req: IncomingMessage): boolean =>
  req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");

const mediaTypeOf = (req: IncomingMessage): string => String(req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();

const isJsonType = (type: string): boolean => type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));

/**
 * Reads, checks and parses the body. Resolves true when the request may go on;
 * false when it has been answered (413, 415, 400). Requests without a body pass at once.
 */
export async function admitBody(req: GatedRequest, res: ServerResponse, limits: BodyLimits): Promise<boolean> {
  try {
    const type = mediaTypeOf(req);
    const path = (req.url ?? "/").split("?")[0]!;
    const raw = limits.rawBodies.find((r) => r.method === req.method && r.path === path && r.types.includes(type));
    if (!raw && !isJsonType(type)) {
      const accepted = ["application/json", ...new Set(limits.rawBodies.filter((r) => r.method === req.method && r.path === path).flatMap((r) => r.types))];
      const expected = accepted.length === 1 ? accepted[0] : `one of ${accepted.join(", ")}`;
      throw new ApiError(415, "unsupported_media_type", `Content-Type must be ${expected}; got ${type || "none"}`, { field: "Content-Type", accepted });
    }
    const coding = String(req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
    if (coding !== "identity") {
      throw new ApiError(415, "unsupported_media_type", `Content-Encoding ${coding} is not accepted; send the body uncompressed`, { field: "Content-Encoding" });
    }
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(String(req.headers["content-type"] ?? ""))?.[1]?.toLowerCase();
    if (!raw && charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
      throw new ApiError(415, "unsupported_media_type", `charset ${charset} is not accepted; JSON must be UTF-8`, { field: "Content-Type" });
    }
    const maxBytes = raw ? raw.maxBytes : limits.maxJsonBytes;
    const data = await readLimited(req, maxBytes);
    req.rawBody = data;
    if (raw) {
      req.body = data;
      return true;
    }
    req.body = parseJson(data, limits.maxJsonDepth);
    return true;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    refuse(req, res, error);
    return false;
  }
}

function tooLarge(limit: number, declared?: number): ApiError {
  const size = declared === undefined ? `more than ${limit} bytes` : `${declared} bytes`;
  return new ApiError(413, "payload_too_large", `the request body is ${size}; at most ${limit} bytes are accepted`, { field: "body", limit_bytes: limit });
}

/** Reads the whole body, or throws 413 as soon as it passes `limit` (declared or streamed). */
function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers["content-length"];
  if (declared !== undefined) {
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) return Promise.reject(new ApiError(400, "bad_request", "Content-Length is not a number", { field: "Content-Length" }));
    if (length > limit) return Promise.reject(tooLarge(limit, length));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onAborted);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new ApiError(400, "bad_request", `the request body could not be read: ${error.message}`));
    };
    const onAborted = () => onError(new Error("the client went away"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onAborted);
  });
}

/** Parses JSON after checking its depth, so a 10,000-level body never reaches JSON.parse or zod. */
function parseJson(data: Buffer, maxDepth: number): unknown {
  if (data.length === 0) return undefined;
  const depth = jsonDepth(data, maxDepth);
  if (depth > maxDepth) {
    throw new ApiError(400, "json_too_deep", `the JSON body nests deeper than ${maxDepth} levels`, { field: "body", max_depth: maxDepth });
  }
  let text = data.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return undefined;
  if (first !== "{" && first !== "[") throw new ApiError(400, "malformed_json", "the body is not valid JSON: it must be an object or an array");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, "malformed_json", `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The nesting depth of JSON text, counted outside strings; stops counting once past `stopAbove`. */
function jsonDepth(data: Uint8Array, stopAbove: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest && (deepest = depth) > stopAbove) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** What the rest of a refused body may still send, discarded, before its connection is cut. */
const LINGER = { bytes: 64 * 1024 * 1024, ms: 5_000 };

/**
 * Answers a refused body. The rest of an unread body is discarded, not kept: a client
 * still sending would otherwise hit a reset before it reads the answer (nginx's
 * lingering close). Past LINGER the connection is cut.
 */
function refuse(req: IncomingMessage, res: ServerResponse, error: ApiError): void {
  sendError(res, error);
  if (req.complete) return;
  let discarded = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, LINGER.ms);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    if ((discarded += chunk.length) > LINGER.bytes) cut();
  });
  req.once("end", () => clearTimeout(timer));
  req.once("close", () => clearTimeout(timer));
  req.resume();
}
