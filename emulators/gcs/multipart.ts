// Splits a `multipart/related` body (the JSON API's multipart upload: a JSON
// metadata part, then the media part) into parts with their headers.
import { badRequest } from "./errors.ts";

export interface BodyPart {
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Buffer;
}

export function boundaryOf(contentType: string | undefined): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw badRequest("A multipart upload needs a Content-Type with a boundary");
  return boundary;
}

export function parseMultipart(body: Buffer, boundary: string): BodyPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: BodyPart[] = [];
  let at = body.indexOf(delimiter);
  if (at === -1) throw badRequest("Multipart body has no boundary");
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === "--") return parts; // closing delimiter
    const headersStart = body.indexOf("\r\n", at) + 2;
    const headersEnd = body.indexOf("\r\n\r\n", headersStart - 2);
    if (headersStart < 2 || headersEnd === -1) throw badRequest("Malformed multipart part headers");
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headersEnd + 4);
    if (next === -1) throw badRequest("Multipart body is not terminated");
    parts.push({
      headers: parseHeaders(body.subarray(headersStart, headersEnd).toString("utf8")),
      body: body.subarray(headersEnd + 4, next),
    });
    at = next + 2;
  }
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}
