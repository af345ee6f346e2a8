// A Qdrant stand-in for the local stack and the tests: the part of Qdrant's
// REST API the vector store adapter uses, in memory, for @qdrant/js-client-rest
// to run unchanged against it. README.md says what it serves and refuses.
import { timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Collections } from "./collections.ts";
import { formatError, isPlainObject, QdrantError, unsupported } from "./errors.ts";

export interface QdrantEmulator {
  port: number;
  /** Base URL for `new QdrantClient({ url, apiKey })`. */
  url: string;
  /** The key requests must carry, when one was configured. */
  apiKey: string | undefined;
  close(): Promise<void>;
}

export interface QdrantEmulatorOptions {
  /** Port on 127.0.0.1. Default: 0, a free port chosen by the OS. */
  port?: number;
  /**
   * Qdrant's `service.api_key`: when set, every request but the root and the
   * health probes must carry it as `api-key` or `Authorization: Bearer`, else
   * 401, as Qdrant answers. Default: none (Qdrant's default too).
   */
  apiKey?: string;
  /** Receives one line per request ("PUT /collections/x/points?wait=true 200"). Default: silent. */
  log?: (line: string) => void;
  /** Version reported by `GET /`; the client warns unless it is within one minor of its own. Default: "1.19.0". */
  version?: string;
}

type Handler = (name: string, body: () => Record<string, unknown>) => unknown;

/** Paths Qdrant serves without the API key. */
const OPEN_PATHS = new Set(["", "/healthz", "/livez", "/readyz"]);

function routes(collections: Collections): [method: string, pattern: RegExp, handle: Handler][] {
  const route = (method: string, path: string, handle: Handler): [string, RegExp, Handler] => [method, new RegExp(`^/collections${path.replace("{}", "/([^/]+)")}$`), handle];
  return [
    route("GET", "", () => collections.names()),
    route("GET", "{}", (name) => collections.info(name)),
    route("GET", "{}/exists", (name) => collections.exists(name)),
    route("PUT", "{}", (name, body) => collections.create(name, body())),
    route("DELETE", "{}", (name) => collections.delete(name)),
    route("PUT", "{}/index", (name, body) => collections.createIndex(name, body())),
    route("PUT", "{}/points", (name, body) => collections.upsert(name, body())),
    route("POST", "{}/points/delete", (name, body) => collections.deletePoints(name, body())),
    route("POST", "{}/points/count", (name, body) => collections.count(name, body())),
    route("POST", "{}/points/query", (name, body) => collections.query(name, body())),
  ];
}

function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === "") throw formatError("EOF while parsing a value at line 1 column 0");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw formatError((error as Error).message);
  }
  if (!isPlainObject(body)) throw formatError("invalid type: expected a JSON object at line 1 column 1");
  return body;
}

function authorized(req: http.IncomingMessage, apiKey: string): boolean {
  const bearer = req.headers.authorization?.startsWith("Bearer ") ? req.headers.authorization.slice(7) : undefined;
  const given = Buffer.from(String(req.headers["api-key"] ?? bearer ?? ""));
  const wanted = Buffer.from(apiKey);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export async function startQdrantEmulator(options: QdrantEmulatorOptions = {}): Promise<QdrantEmulator> {
  const table = routes(new Collections());
  const version = options.version ?? "1.19.0";
  const server = http.createServer((req, res) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const send = (status: number, contentType: string, text: string) => {
        res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
        res.end(text);
        options.log?.(`${req.method} ${req.url} ${status}`);
      };
      const time = () => (performance.now() - started) / 1000;
      const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname.replace(/\/+$/, "");
      if (options.apiKey !== undefined && !OPEN_PATHS.has(path) && !authorized(req, options.apiKey)) {
        const missing = req.headers["api-key"] === undefined && req.headers.authorization === undefined;
        send(401, "text/plain; charset=utf-8", missing ? "Must provide an API key or an Authorization bearer token" : "Invalid API key or JWT");
        return;
      }
      if (req.method === "GET" && path === "") return send(200, "application/json", JSON.stringify({ title: "qdrant - vector search engine", version, commit: null }));
      if (req.method === "GET" && OPEN_PATHS.has(path)) return send(200, "text/plain; charset=utf-8", path === "/readyz" ? "all shards are ready" : "healthz check passed");
      try {
        const found = table.map(([method, pattern, handle]) => ({ method, match: pattern.exec(path), handle })).filter((r) => r.match);
        const hit = found.find((r) => r.method === req.method);
        if (!hit) {
          if (found.length > 0) throw new QdrantError(405, `Method ${req.method} is not allowed on ${path}`);
          // Qdrant's other routes (scroll, search, snapshots, aliases…) are not implemented here; anything else does not exist.
          if (/^\/(collections|aliases|cluster|snapshots|telemetry|metrics|locks|issues)(\/|$)/.test(path)) throw unsupported(`${req.method} ${path}`);
          throw new QdrantError(404, `Not found: ${req.method} ${path}`);
        }
        let name: string;
        try {
          name = decodeURIComponent(hit.match?.[1] ?? "");
        } catch {
          throw formatError(`invalid percent-encoding in path ${path}`);
        }
        const result = hit.handle(name, () => parseBody(Buffer.concat(chunks).toString("utf8")));
        send(200, "application/json", JSON.stringify({ result, status: "ok", time: time() }));
      } catch (error) {
        const failure = error instanceof QdrantError ? error : new QdrantError(500, `Service internal error: ${(error as Error).message}`);
        send(failure.status, "application/json", JSON.stringify({ status: { error: failure.message }, time: time() }));
      }
    });
  });
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
    apiKey: options.apiKey,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The client keeps pooled keep-alive connections; without this close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
