// HTTP plumbing: routing, body reading, and Qdrant's response envelope
// (`{result, status: "ok", time}`, errors as `{status: {error}, time}`).
import http from "node:http";
import type { CollectionStore } from "./collection.ts";
import { QdrantError, formatError } from "./errors.ts";
import { parseJsonBody, requireObjectBody, stringifyJson } from "./json.ts";
import type { ApiRequest, Route } from "./routes.ts";

export function createQdrantServer(routes: Route[], store: CollectionStore, log?: (line: string) => void): http.Server {
  return http.createServer((req, res) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const elapsed = () => (performance.now() - started) / 1000;
      const send = (status: number, contentType: string, text: string) => {
        res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
        res.end(text);
        log?.(`${req.method} ${req.url} ${status}`);
      };
      try {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const path = url.pathname.replace(/\/+$/, "");
        const { route, params } = findRoute(routes, req.method ?? "GET", path);
        let parsed: Record<string, unknown> | undefined;
        const request: ApiRequest = {
          params,
          query: url.searchParams,
          store,
          body: () => (parsed ??= requireObjectBody(parseJsonBody(Buffer.concat(chunks).toString("utf8")))),
        };
        const result = route.handle(request);
        if (route.bare === "text") send(200, "text/plain; charset=utf-8", String(result));
        else if (route.bare === "json") send(200, "application/json", stringifyJson(result));
        else send(200, "application/json", stringifyJson({ result, status: "ok", time: elapsed() }));
      } catch (error) {
        const qdrantError = error instanceof QdrantError
          ? error
          : new QdrantError(500, `Service internal error: ${(error as Error).message}`);
        send(qdrantError.status, "application/json", stringifyJson({ status: { error: qdrantError.message }, time: elapsed() }));
      }
    });
  });
}

function findRoute(routes: Route[], method: string, path: string): { route: Route; params: string[] } {
  let pathMatched = false;
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    try {
      return { route, params: match.slice(1).map((p) => decodeURIComponent(p)) };
    } catch {
      throw formatError(`invalid percent-encoding in path ${path}`);
    }
  }
  if (pathMatched) throw new QdrantError(405, `Method ${method} is not allowed on ${path}`);
  throw new QdrantError(404, `Not found: ${method} ${path}`);
}
