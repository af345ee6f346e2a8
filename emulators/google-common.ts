// What the Cloud Tasks and Cloud Scheduler emulators share: a gRPC server for a client library's own
// protos.json (so both sides agree on every field), the error that becomes a call's status,
// Timestamp/Duration ⇄ ms, Google's HTTP → RPC code mapping, RetryConfig's backoff, and one HTTP
// attempt on keep-alive connections with a deadline that follows redirects as Google does.
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { createRequire } from "node:module";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { fromJSON } from "@grpc/proto-loader";

export class RpcError extends Error {
  override name = "RpcError";
  readonly code: grpc.status;
  constructor(code: grpc.status, message: string) {
    super(message);
    this.code = code;
  }
}

export const invalidArgument = (message: string) => new RpcError(grpc.status.INVALID_ARGUMENT, message);

export type Handler = (request: never) => unknown;

interface GrpcServer { port: number; close(): void }

/**
 * Serves `handlers` as `service` ("google.cloud.tasks.v2.CloudTasks") of `pkg`'s protos.json on
 * 127.0.0.1: a handler returns the response or throws an RpcError. Methods without a handler
 * answer UNIMPLEMENTED (grpc-js's default).
 */
export async function serveGrpc(
  pkg: string, service: string, handlers: Record<string, Handler>, port = 0, log: (line: string) => void = () => {},
): Promise<GrpcServer> {
  // .../@google-cloud/tasks/build/cjs/src/index.cjs → .../@google-cloud/tasks/build/protos/protos.json
  const entry = createRequire(import.meta.url).resolve(pkg);
  const json = JSON.parse(readFileSync(path.join(entry.slice(0, entry.lastIndexOf("/build/")), "build/protos/protos.json"), "utf8"));
  // Unset fields stay undefined (defaults: false): "not given, take the default" differs from zero.
  const definition = fromJSON(json, { longs: String, enums: String, defaults: false, oneofs: true })[service] as grpc.ServiceDefinition;
  const server = new grpc.Server();
  server.addService(definition, Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [
    name,
    ((call, callback) => {
      try {
        callback(null, handler(call.request as never));
      } catch (error) {
        if (!(error instanceof RpcError)) log(`internal error: ${(error as Error).stack ?? String(error)}`);
        callback({ code: error instanceof RpcError ? error.code : grpc.status.INTERNAL, details: (error as Error).message });
      }
    }) as grpc.handleUnaryCall<unknown, unknown>,
  ])));
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
  ).catch((error: unknown) => {
    server.forceShutdown();
    throw error;
  });
  // Clients keep their channels open; waiting for them would never end.
  return { port: bound, close: () => server.forceShutdown() };
}

/** The options a google-gax client (CloudTasksClient, CloudSchedulerClient) needs to reach an emulator on `port`. */
export function clientOptions(port: number) {
  return {
    apiEndpoint: "127.0.0.1",
    port,
    // Plain-text gRPC: google-gax uses sslCreds as the channel credentials as they are, so no token is fetched.
    sslCreds: grpc.credentials.createInsecure(),
    // Without it google-gax asks google-auth for the universe domain, which looks for credentials and probes the metadata server.
    universeDomain: "googleapis.com",
  };
}

interface TimeMessage { seconds?: number | string | { toString(): string } | null; nanos?: number | null }

export const toMs = (value: TimeMessage | null | undefined): number =>
  Number(String(value?.seconds ?? 0)) * 1000 + (value?.nanos ?? 0) / 1e6;

/** ms → {seconds, nanos}, for a Timestamp (epoch ms) or a Duration. */
export function fromMs(ms: number): { seconds: string; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

const RPC_CODE_BY_HTTP: Record<number, grpc.status> = {
  400: grpc.status.INVALID_ARGUMENT, 401: grpc.status.UNAUTHENTICATED, 403: grpc.status.PERMISSION_DENIED,
  404: grpc.status.NOT_FOUND, 409: grpc.status.ABORTED, 412: grpc.status.FAILED_PRECONDITION,
  416: grpc.status.OUT_OF_RANGE, 429: grpc.status.RESOURCE_EXHAUSTED, 499: grpc.status.CANCELLED,
  501: grpc.status.UNIMPLEMENTED, 503: grpc.status.UNAVAILABLE, 504: grpc.status.DEADLINE_EXCEEDED,
};

/** The google.rpc.Code an attempt's HTTP status is recorded as. */
export function rpcCodeForHttp(httpStatus: number): grpc.status {
  if (httpStatus >= 200 && httpStatus < 300) return grpc.status.OK;
  return RPC_CODE_BY_HTTP[httpStatus] ?? (httpStatus >= 500 ? grpc.status.INTERNAL : grpc.status.UNKNOWN);
}

/**
 * The wait before retry number `retryIndex` (0: the first retry), as both services' RetryConfig
 * documents it: min_backoff doubled max_doublings times, then growing linearly by the last doubled
 * step, never above max_backoff. With 10 s, 300 s and 3 doublings: 10, 20, 40, 80, 160, 240, 300, 300 …
 */
export function backoffMs(retryIndex: number, policy: { minBackoffMs: number; maxBackoffMs: number; maxDoublings: number }): number {
  const step = policy.minBackoffMs * 2 ** Math.min(retryIndex, policy.maxDoublings);
  return Math.min(policy.maxBackoffMs, step * (1 + Math.max(0, retryIndex - policy.maxDoublings)));
}

interface OutgoingAttempt { url: string; method: string; headers: Record<string, string>; body: Buffer; deadlineMs: number }

export type AttemptOutcome =
  /** retryAfterSeconds: the target's Retry-After (delay-seconds form). */
  | { kind: "response"; httpStatus: number; retryAfterSeconds?: number }
  | { kind: "deadline" }
  | { kind: "network"; detail: string };

const MAX_REDIRECTS = 10;

/**
 * Sends attempts over HTTP(S) on keep-alive connections (at a thousand tasks a second, a handshake
 * per attempt would cost more than the attempt). A 3xx with a Location is followed, as "the worker
 * or the redirected worker" answering is what counts (Cloud Tasks' HttpRequest); 303, and 301/302
 * after a POST, go on as a GET without body, as browsers and fetch do. The deadline covers every
 * hop and the whole answer; past it the request is cancelled, whatever the target goes on doing.
 */
export class AttemptSender {
  private readonly agents = {
    "http:": new http.Agent({ keepAlive: true, maxFreeSockets: 256 }),
    "https:": new https.Agent({ keepAlive: true, maxFreeSockets: 256 }),
  };
  private readonly inFlight = new Set<http.ClientRequest>();

  send(attempt: OutgoingAttempt): Promise<AttemptOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      let current: http.ClientRequest | undefined;
      const settle = (outcome: AttemptOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (current) this.inFlight.delete(current);
        resolve(outcome);
      };
      const deadline = setTimeout(() => {
        settle({ kind: "deadline" });
        current?.destroy();
      }, attempt.deadlineMs);
      const hop = (url: URL, method: string, body: Buffer, redirects: number) => {
        const agent = this.agents[url.protocol as "http:" | "https:"];
        if (!agent) return settle({ kind: "network", detail: `unsupported URL ${url.href}` });
        try {
          current = (url.protocol === "https:" ? https : http).request(url, { method, headers: attempt.headers, agent });
        } catch (error) {
          return settle({ kind: "network", detail: (error as Error).message });
        }
        const request = current;
        this.inFlight.add(request);
        request.on("response", (response) => {
          response.resume();
          const status = response.statusCode ?? 0;
          const location = response.headers.location;
          response.on("close", () => {
            this.inFlight.delete(request);
            if (settled) return;
            if (status >= 300 && status < 400 && location && redirects < MAX_REDIRECTS) {
              const asGet = status === 303 || ((status === 301 || status === 302) && method === "POST");
              return hop(new URL(location, url), asGet ? "GET" : method, asGet ? Buffer.alloc(0) : body, redirects + 1);
            }
            const retryAfter = Number(response.headers["retry-after"]);
            settle({ kind: "response", httpStatus: status, ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterSeconds: retryAfter } : {}) });
          });
        });
        request.on("error", (error) => settle({ kind: "network", detail: error.message }));
        request.end(body.length > 0 ? body : undefined);
      };
      try {
        hop(new URL(attempt.url), attempt.method, attempt.body, 0);
      } catch {
        settle({ kind: "network", detail: `invalid URL ${attempt.url}` });
      }
    });
  }

  /** Cancels every attempt in flight and drops the pooled connections. */
  close(): void {
    for (const request of this.inFlight) request.destroy();
    this.inFlight.clear();
    for (const agent of Object.values(this.agents)) agent.destroy();
  }
}

/**
 * Copies the fields named by `paths` ("rate_limits.max_burst_size" or "rateLimits.maxBurstSize")
 * from `patch` onto a copy of `current`; a path unset in `patch` is cleared. Paths under `ignored`
 * (output-only) are skipped, as the APIs document; a path outside `settable` is INVALID_ARGUMENT.
 */
export function applyUpdateMask<T extends object>(
  current: T, patch: T, paths: string[], settable: Record<string, readonly string[] | null>, ignored: ReadonlySet<string>,
): T {
  const camel = (segment: string) => segment.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const merged = structuredClone(current) as Record<string, unknown>;
  for (const path of paths) {
    const [top = "", ...rest] = path.split(".").map(camel);
    if (ignored.has(top) || ignored.has([top, ...rest].join("."))) continue;
    const subfields = settable[top];
    if (subfields === undefined || rest.length > 1 || (rest[0] !== undefined && subfields !== null && !subfields.includes(rest[0]))) {
      throw invalidArgument(`Invalid update_mask path: "${path}".`);
    }
    const source = (patch as Record<string, unknown>)[top] as Record<string, unknown> | undefined | null;
    if (rest[0] === undefined) merged[top] = source ?? undefined;
    else merged[top] = { ...(merged[top] as object | undefined), [rest[0]]: source?.[rest[0]] ?? undefined };
  }
  return merged as T;
}
