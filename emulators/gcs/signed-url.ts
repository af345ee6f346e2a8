// Checks V4 (`X-Goog-Signature`) and V2 (`Signature`) signed URLs: that they are
// well formed and not expired, that the signer (the email in X-Goog-Credential
// or GoogleAccessId) is a service account the emulator knows, and the
// RSA-SHA256 signature over the canonical request under that account's key,
// rebuilt the way the `@google-cloud/storage` URLSigner builds it.
import { createHash, verify } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { GcsError } from "./errors.ts";

/** V4 URLs may live at most seven days. */
const maxV4ExpirySeconds = 7 * 24 * 60 * 60;

export function isSignedUrl(query: URLSearchParams): boolean {
  return queryValue(query, "X-Goog-Signature") !== undefined || query.has("Signature");
}

/** Query parameter names of V4 URLs are case-insensitive (POST policies use lower case). */
function queryValue(query: URLSearchParams, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of query) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function malformed(message: string): GcsError {
  return new GcsError(400, "invalid", message, "MalformedSecurityHeader");
}

function expired(detail: string): GcsError {
  return new GcsError(400, "invalid", `Invalid argument. Request has expired: ${detail}`, "ExpiredToken");
}

function signatureMismatch(): GcsError {
  return new GcsError(403, "forbidden", "The request signature we calculated does not match the signature you provided.", "SignatureDoesNotMatch");
}

/** Service account email → PEM public key: whose signatures the emulator accepts. */
export type Signers = ReadonlyMap<string, string>;

/** The signer's key; an account the emulator does not know cannot have signed the URL. */
function keyOf(signers: Signers, email: string): string {
  const key = signers.get(email);
  if (key === undefined) throw signatureMismatch();
  return key;
}

/** Throws the XML API's error when the request may not use this URL. */
export function verifySignedUrl(req: IncomingMessage, url: URL, signers: Signers, now = new Date()): void {
  if (queryValue(url.searchParams, "X-Goog-Signature") !== undefined) verifyV4(req, url, signers, now);
  else verifyV2(req, url, signers, now);
}

function verifyV4(req: IncomingMessage, url: URL, signers: Signers, now: Date): void {
  const query = url.searchParams;
  const required = (name: string) => {
    const value = queryValue(query, name);
    if (!value) throw malformed(`Missing ${name} in a signed URL`);
    return value;
  };
  const algorithm = required("X-Goog-Algorithm");
  const credential = required("X-Goog-Credential");
  const date = required("X-Goog-Date");
  const expires = required("X-Goog-Expires");
  const signedHeaders = required("X-Goog-SignedHeaders");
  const signature = required("X-Goog-Signature");

  const dateMatch = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!dateMatch) throw malformed(`X-Goog-Date must look like 20240101T000000Z, got ${date}`);
  const [, year, month, day, hour, minute, second] = dateMatch;
  const signedAt = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  const lifetime = Number(expires);
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > maxV4ExpirySeconds) {
    throw malformed(`X-Goog-Expires must be between 1 and ${maxV4ExpirySeconds}, got ${expires}`);
  }
  if (now.getTime() < signedAt) throw new GcsError(403, "forbidden", `Request is not valid before ${date}`, "AccessDenied");
  if (now.getTime() > signedAt + lifetime * 1000) throw expired(`${date} + ${lifetime}s`);
  if (!/^[0-9a-f]+$/i.test(signature)) throw malformed("X-Goog-Signature must be hexadecimal");
  if (algorithm !== "GOOG4-RSA-SHA256") throw signatureMismatch();
  const publicKeyPem = keyOf(signers, credential.slice(0, credential.indexOf("/")));

  const scope = credential.slice(credential.indexOf("/") + 1);
  const canonicalQuery = [...query]
    .filter(([key]) => key.toLowerCase() !== "x-goog-signature")
    .map(([key, value]) => [strictEncode(key), strictEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
  const payload = headerValue(req, "x-goog-content-sha256") ?? "UNSIGNED-PAYLOAD";
  const signatureBytes = Buffer.from(signature, "hex");
  // The client signs `host` without a port (its endpoint normally has none) and the
  // path as it sent it; other signers may keep the port or encode the path differently.
  for (const host of hostCandidates(req)) {
    for (const path of pathCandidates(req)) {
      const canonicalHeaders = signedHeaders
        .split(";")
        .map((name) => `${name}:${name === "host" ? host : canonicalHeaderValue(headerValue(req, name) ?? "")}\n`)
        .join("");
      const canonicalRequest = [req.method, path, canonicalQuery, canonicalHeaders, signedHeaders, payload].join("\n");
      const stringToSign = ["GOOG4-RSA-SHA256", date, scope, createHash("sha256").update(canonicalRequest).digest("hex")].join("\n");
      if (verify("sha256", Buffer.from(stringToSign), publicKeyPem, signatureBytes)) return;
    }
  }
  throw signatureMismatch();
}

function verifyV2(req: IncomingMessage, url: URL, signers: Signers, now: Date): void {
  const expires = url.searchParams.get("Expires");
  const signature = url.searchParams.get("Signature");
  if (!expires || !/^\d+$/.test(expires) || !url.searchParams.get("GoogleAccessId") || !signature) {
    throw malformed("A V2 signed URL needs GoogleAccessId, Expires and Signature");
  }
  if (now.getTime() > Number(expires) * 1000) throw expired(expires);
  const publicKeyPem = keyOf(signers, url.searchParams.get("GoogleAccessId") as string);
  const extensionHeaders = Object.keys(req.headers)
    .filter((name) => name.startsWith("x-goog-"))
    .sort()
    .map((name) => `${name}:${canonicalHeaderValue(headerValue(req, name) ?? "")}\n`)
    .join("");
  for (const path of pathCandidates(req)) {
    const blob = [req.method, headerValue(req, "content-md5") ?? "", headerValue(req, "content-type") ?? "", expires, extensionHeaders + path].join("\n");
    if (verify("sha256", Buffer.from(blob), publicKeyPem, Buffer.from(signature, "base64"))) return;
  }
  throw signatureMismatch();
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/\s{2,}/g, " ");
}

function hostCandidates(req: IncomingMessage): string[] {
  const host = headerValue(req, "host") ?? "";
  const hostname = host.replace(/:\d+$/, "");
  return hostname === host ? [host] : [hostname, host];
}

function pathCandidates(req: IncomingMessage): string[] {
  const raw = (req.url ?? "/").split("?")[0] ?? "/";
  const reencoded = raw
    .split("/")
    .map((segment) => strictEncode(safeDecode(segment)))
    .join("/");
  return reencoded === raw ? [raw] : [raw, reencoded];
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** RFC 3986: everything but `A-Z a-z 0-9 - . _ ~` is percent-encoded. */
function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
