// A stand-in for the ingest system's document API, for the local stack and the
// tests: a sample corpus (corpus.ts) served as
//   GET /documents?since=&cursor=&limit=&region_id=  → {documents, next_cursor, total}
//   GET /documents/{id}                              → one document or tombstone; 404 if never seen
// and a control surface (loopback only, like everything here) for tests that
// "change a document at the source":
//   PUT    /__control/documents/{id}  {region_id?, title?, text?}  → the document, with a new updated_at
//   DELETE /__control/documents/{id}                               → its tombstone
//   GET    /__control/stats                                         → request and document counts
//   POST   /__control/reset-counters
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sampleCorpus, type CorpusDocument } from "./corpus.ts";
import { DocumentStore, type DocumentChange } from "./store.ts";

export { sampleCorpus, syntheticCorpus } from "./corpus.ts";

export interface IngestEmulatorOptions {
  /** Port on 127.0.0.1. Default: a free one. */
  port?: number;
  /** What it serves. Default: the sample corpus. */
  documents?: readonly CorpusDocument[];
  /** Require this X-API-Key on /documents. Default: none. */
  apiKey?: string;
  /** One line per request. Default: silent. */
  log?: (line: string) => void;
}

interface IngestRequestCounts {
  /** GET /documents (pages). */
  list: number;
  /** GET /documents/{id}. */
  get: number;
}

export interface IngestEmulator {
  port: number;
  url: string;
  /** The same as PUT /__control/documents/{id}. */
  upsert(id: string, change: DocumentChange): CorpusDocument;
  /** The same as DELETE /__control/documents/{id}; undefined for an unknown id. */
  remove(id: string): CorpusDocument | undefined;
  get(id: string): CorpusDocument | undefined;
  requests(): IngestRequestCounts;
  resetCounters(): void;
  close(): Promise<void>;
}

const MAX_LIMIT = 1000;

export async function startIngestEmulator(options: IngestEmulatorOptions = {}): Promise<IngestEmulator> {
  const store = new DocumentStore(options.documents ?? sampleCorpus());
  const counts: IngestRequestCounts = { list: 0, get: 0 };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      let status = 200;
      let body: unknown;
      try {
        ({ status, body } = route(req.method ?? "GET", url, req.headers["x-api-key"], Buffer.concat(chunks).toString("utf8")));
      } catch (error) {
        status = error instanceof HttpError ? error.status : 500;
        body = { error: (error as Error).message };
      }
      options.log?.(`${req.method} ${url.pathname}${url.search} ${status}`);
      res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
    });
  });

  function route(method: string, url: URL, apiKey: string | string[] | undefined, raw: string): { status: number; body: unknown } {
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path === "/healthz") return { status: 200, body: { ok: true } };
    if (path === "/documents" || path.startsWith("/documents/")) {
      if (method !== "GET") throw new HttpError(405, `${method} is not allowed on ${path}`);
      if (options.apiKey !== undefined && apiKey !== options.apiKey) throw new HttpError(401, "missing or wrong X-API-Key");
      if (path === "/documents") {
        counts.list += 1;
        return { status: 200, body: listDocuments(store, url.searchParams) };
      }
      counts.get += 1;
      const document = store.get(decodeURIComponent(path.slice("/documents/".length)));
      if (!document) throw new HttpError(404, "no such document");
      return { status: 200, body: document };
    }
    const control = /^\/__control\/documents\/([^/]+)$/.exec(path);
    if (control) {
      const id = decodeURIComponent(control[1]!);
      if (method === "PUT") {
        const change = parseChange(raw);
        if (!store.get(id) && (change.region_id === undefined || change.text === undefined)) throw new HttpError(400, `document ${id} is new: region_id and text are required`);
        return { status: 200, body: store.upsert(id, change) };
      }
      if (method === "DELETE") {
        const tombstone = store.remove(id);
        if (!tombstone) throw new HttpError(404, "no such document");
        return { status: 200, body: tombstone };
      }
      throw new HttpError(405, `${method} is not allowed on ${path}`);
    }
    if (path === "/__control/stats" && method === "GET") return { status: 200, body: { requests: { ...counts }, ...store.counts() } };
    if (path === "/__control/reset-counters" && method === "POST") {
      counts.list = 0;
      counts.get = 0;
      return { status: 200, body: { ok: true } };
    }
    throw new HttpError(404, `no route ${method} ${path}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    upsert: (id, change) => store.upsert(id, change),
    remove: (id) => store.remove(id),
    get: (id) => store.get(id),
    requests: () => ({ ...counts }),
    resetCounters: () => {
      counts.list = 0;
      counts.get = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function listDocuments(store: DocumentStore, params: URLSearchParams) {
  const limitText = params.get("limit");
  const limit = limitText === null ? 100 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new HttpError(400, `limit must be a whole number from 1 to ${MAX_LIMIT}`);
  const sinceText = params.get("since");
  const since = sinceText ? Date.parse(sinceText) : undefined;
  if (since !== undefined && Number.isNaN(since)) throw new HttpError(400, "since must be an ISO 8601 time");
  const cursorText = params.get("cursor");
  const page = store.list({
    limit,
    ...(since !== undefined ? { since } : {}),
    ...(params.get("region_id") ? { regionId: params.get("region_id")! } : {}),
    ...(cursorText ? { cursor: decodeCursor(cursorText) } : {}),
  });
  return {
    documents: page.documents,
    next_cursor: page.nextCursor ? Buffer.from(JSON.stringify([page.nextCursor.at, page.nextCursor.id])).toString("base64url") : null,
    total: page.total,
  };
}

function decodeCursor(text: string): { at: number; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as [unknown, unknown];
    if (typeof at === "number" && typeof id === "string") return { at, id };
  } catch {
    // reported below
  }
  throw new HttpError(400, "cursor is not one this API made");
}

function parseChange(raw: string): DocumentChange {
  let value: unknown;
  try {
    value = raw ? JSON.parse(raw) : {};
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
  const change = value as Record<string, unknown>;
  for (const key of ["region_id", "title", "text"]) {
    if (change[key] !== undefined && typeof change[key] !== "string") throw new HttpError(400, `${key} must be a string`);
  }
  return change as DocumentChange;
}
