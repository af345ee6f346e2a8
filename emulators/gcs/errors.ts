// The one error type of the emulator: a status plus the reason the JSON API
// reports and the code the XML API reports, rendered in each API's shape.
import type { ServerResponse } from "node:http";

export class GcsError extends Error {
  override name = "GcsError";
  readonly status: number;
  /** JSON API `errors[].reason`, e.g. `notFound`, `conditionNotMet`. */
  readonly reason: string;
  /** XML API `<Code>`, e.g. `NoSuchKey`, `ExpiredToken`. */
  readonly xmlCode: string;

  constructor(status: number, reason: string, message: string, xmlCode = reason) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.xmlCode = xmlCode;
  }
}

export function noSuchBucket(bucket: string): GcsError {
  return new GcsError(404, "notFound", `The specified bucket does not exist: ${bucket}`, "NoSuchBucket");
}

export function noSuchObject(bucket: string, name: string): GcsError {
  return new GcsError(404, "notFound", `No such object: ${bucket}/${name}`, "NoSuchKey");
}

export function badRequest(message: string): GcsError {
  return new GcsError(400, "invalid", message, "InvalidArgument");
}

/** Anything thrown that is not a GcsError becomes a 500 that still names the cause. */
function asGcsError(error: unknown): GcsError {
  if (error instanceof GcsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new GcsError(500, "backendError", message, "InternalError");
}

/** `{"error":{"code","message","errors":[…]}}`: what the client's handleResp parses into ApiError. */
export function sendJsonError(res: ServerResponse, error: unknown): void {
  const gcsError = asGcsError(error);
  const body = JSON.stringify({
    error: {
      code: gcsError.status,
      message: gcsError.message,
      errors: [{ message: gcsError.message, domain: "global", reason: gcsError.reason }],
    },
  });
  res.writeHead(gcsError.status, { "Content-Type": "application/json; charset=UTF-8" }).end(body);
}

const xmlEscapes: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" };

export function sendXmlError(res: ServerResponse, error: unknown): void {
  const gcsError = asGcsError(error);
  const escape = (text: string) => text.replace(/[<>&'"]/g, (c) => xmlEscapes[c] ?? c);
  const body =
    `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${escape(gcsError.xmlCode)}</Code>` +
    `<Message>${escape(gcsError.message)}</Message></Error>`;
  res.writeHead(gcsError.status, { "Content-Type": "application/xml; charset=UTF-8" }).end(body);
}
