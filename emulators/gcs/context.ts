// What every route handler receives for one request, and the narrow view of
// the resumable upload sessions the handlers use.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Preconditions } from "./preconditions.ts";
import type { ObjectAttributes } from "./records.ts";
import type { Signers } from "./signed-url.ts";
import type { ObjectStore } from "./store.ts";

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Path segments, percent-decoded one by one (so `%2F` inside an object name stays inside it). */
  segments: string[];
  /** `http://host:port` as the client addressed the emulator, for links and session URIs. */
  baseUrl: string;
  store: ObjectStore;
  sessions: UploadSessions;
  /** Whose signed URLs are accepted. */
  signers: Signers;
}

export interface SessionInit {
  bucket: string;
  name: string;
  attributes: ObjectAttributes;
  publicRead: boolean;
  preconditions: Preconditions;
  /** From `X-Upload-Content-Length`, when the client announced it. */
  expectedSize: number | undefined;
}

export interface UploadSessions {
  /** Opens a session and returns its URI (what goes back in `Location`). */
  start(ctx: RequestContext, init: SessionInit): string;
  /** A chunk, a status query or the final request, on the session URI. */
  put(ctx: RequestContext, id: string): Promise<void>;
  cancel(ctx: RequestContext, id: string): void;
}
