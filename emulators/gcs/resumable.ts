// Resumable upload sessions: a POST opens one (its URI goes back in
// `Location`), PUTs carry chunks with `Content-Range`, 308 + `Range` reports
// what is persisted while incomplete, and the request that completes the
// object gets its metadata. Sessions live in memory only.
import { randomUUID } from "node:crypto";
import { verifyDeclaredHashes, parseGoogHash } from "./client-hashes.ts";
import type { RequestContext, SessionInit, UploadSessions } from "./context.ts";
import { GcsError, badRequest, sendJsonError } from "./errors.ts";
import { readBody, sendJson } from "./http-io.ts";
import { checkPreconditions } from "./preconditions.ts";
import { objectResource, type ObjectRecord } from "./records.ts";

interface Session extends SessionInit {
  id: string;
  chunks: Buffer[];
  received: number;
  result: ObjectRecord | undefined;
}

export class ResumableSessions implements UploadSessions {
  readonly #sessions = new Map<string, Session>();

  /** Opens a session; preconditions are checked now (fail early) and again at the end. */
  start(ctx: RequestContext, init: SessionInit): string {
    checkPreconditions(ctx.store.findObject(init.bucket, init.name)?.record, init.preconditions);
    const id = randomUUID().replaceAll("-", "");
    this.#sessions.set(id, { ...init, id, chunks: [], received: 0, result: undefined });
    const name = encodeURIComponent(init.name);
    return `${ctx.baseUrl}/upload/storage/v1/b/${init.bucket}/o?uploadType=resumable&name=${name}&upload_id=${id}`;
  }

  /** DELETE on the session URI: the real service answers 499. */
  cancel(ctx: RequestContext, id: string): void {
    if (!this.#sessions.delete(id)) throw noSuchSession();
    ctx.res.writeHead(499).end();
  }

  async put(ctx: RequestContext, id: string): Promise<void> {
    const session = this.#sessions.get(id);
    if (!session) throw noSuchSession();
    const body = await readBody(ctx.req);
    if (session.result) {
      sendJson(ctx.res, 200, objectResource(session.result, ctx.baseUrl));
      return;
    }
    const range = parseContentRange(ctx.req.headers["content-range"], body.length);
    if (range.start !== undefined) append(session, range.start, body);
    const total = range.total ?? (range.endUnknown ? session.received : undefined);
    if (total === undefined || session.received < total) {
      const headers: Record<string, string> = {};
      if (session.received > 0) headers.Range = `bytes=0-${session.received - 1}`;
      ctx.res.writeHead(308, headers).end();
      return;
    }
    if (session.received > total) throw badRequest(`Received ${session.received} bytes, more than the declared total ${total}`);
    try {
      session.result = finalize(ctx, session);
    } catch (error) {
      // A refused upload cannot be resumed: the real service forgets the session too.
      this.#sessions.delete(id);
      sendJsonError(ctx.res, error);
      return;
    }
    session.chunks = [];
    sendJson(ctx.res, 200, objectResource(session.result, ctx.baseUrl));
  }
}

function noSuchSession(): GcsError {
  return new GcsError(404, "notFound", "No such upload session (it was cancelled, or the emulator restarted).", "NoSuchUpload");
}

interface ContentRange {
  /** First byte of this request's body; undefined for a status query (`bytes *\/N`). */
  start: number | undefined;
  /** Object size, once the client knows it. */
  total: number | undefined;
  /** `bytes N-*\/*`: this body runs to the end of the object. */
  endUnknown: boolean;
}

/** `bytes 0-262143/*`, `bytes 262144-300000/300001`, `bytes 0-*\/*`, `bytes *\/300001`; absent means "the whole object". */
function parseContentRange(header: string | undefined, bodyLength: number): ContentRange {
  if (header === undefined) return { start: 0, total: bodyLength, endUnknown: false };
  const match = /^bytes (?:(\d+)-(\d+|\*)|\*)\/(\d+|\*)$/.exec(header.trim());
  if (!match) throw badRequest(`Malformed Content-Range: ${header}`);
  const [, first, last, size] = match;
  const total = size === "*" || size === undefined ? undefined : Number(size);
  if (first === undefined) return { start: undefined, total, endUnknown: false };
  if (last !== "*" && Number(last) - Number(first) + 1 !== bodyLength) {
    throw badRequest(`Content-Range ${header} does not match a body of ${bodyLength} bytes`);
  }
  return { start: Number(first), total, endUnknown: last === "*" && total === undefined };
}

/** Keeps only bytes past what is already persisted; a resend of earlier bytes is harmless. */
function append(session: Session, start: number, body: Buffer): void {
  if (start > session.received) {
    throw badRequest(`Chunk starts at byte ${start} but only ${session.received} bytes were received`);
  }
  const fresh = body.subarray(session.received - start);
  if (fresh.length === 0) return;
  session.chunks.push(fresh);
  session.received += fresh.length;
}

function finalize(ctx: RequestContext, session: Session): ObjectRecord {
  const data = Buffer.concat(session.chunks);
  if (session.expectedSize !== undefined && data.length !== session.expectedSize) {
    throw badRequest(`Upload announced ${session.expectedSize} bytes but ${data.length} arrived`);
  }
  verifyDeclaredHashes(data, parseGoogHash(ctx.req.headers["x-goog-hash"]));
  return ctx.store.writeObject({
    bucket: session.bucket,
    name: session.name,
    data,
    attributes: session.attributes,
    publicRead: session.publicRead,
    preconditions: session.preconditions,
  });
}
