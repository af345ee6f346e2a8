// A stand-in for Riot's match-v5 API (the game-stats domain's upstream) on a
// loopback port: deterministic synthetic matches, Riot's rate limits and
// headers, and faults a test can inject. Routes and region choice: routes.ts.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { freePort } from "../ports.ts";
import { FaultQueue, type GameApiFault } from "./faults.ts";
import { createMatchApi, riotError, type ApiResponse } from "./match-api.ts";
import { parseRateLimits } from "./rate-limits.ts";
import { MatchMethod, resolveTarget } from "./routes.ts";

export interface GameApiOptions {
  /** Port on 127.0.0.1. Default: a free one. */
  port?: number;
  /** The key clients send as X-Riot-Token (or ?api_key=). Default: a random RGAPI-… key. */
  token?: string;
  /** Application limits per region, Riot's syntax. Default "20:1,100:120" (a development key's). */
  appLimits?: string;
  /** Method limits per region: one spec for all three methods, or one per method. Default "2000:10" each. */
  methodLimits?: string | Partial<Record<MatchMethod, string>>;
  /** Answer 429 when a limit is exceeded. When false, counts and headers still run. Default true. */
  enforceLimits?: boolean;
  /** One line per request. Default: silent. */
  log?: (line: string) => void;
}

export interface GameApiEmulator {
  port: number;
  /** Base URL; each request names its region first: `${url}/europe/lol/match/v5/…` (routes.ts). */
  url: string;
  token: string;
  /** Every request received, faulted and refused ones included. */
  requests(): number;
  /** Request counts keyed by path without the region prefix or query, e.g. /lol/match/v5/matches/NA1_1. */
  requestsByPath(): Record<string, number>;
  /** Arrival time (epoch ms) of every request, in order. */
  requestTimestamps(): number[];
  /** The most requests that arrived within any `windowMs` span (default 60 s). */
  maxRequestsInWindow(windowMs?: number): number;
  inject(fault: GameApiFault): void;
  clearFaults(): void;
  /** Zeroes the request counters and forgets every rate-limit window. */
  resetCounters(): void;
  close(): Promise<void>;
}

const DEFAULT_APP_LIMITS = "20:1,100:120";
const DEFAULT_METHOD_LIMITS = "2000:10";

function methodLimitsFrom(option: GameApiOptions["methodLimits"]) {
  const spec = (method: MatchMethod) => (typeof option === "string" ? option : option?.[method]) ?? DEFAULT_METHOD_LIMITS;
  return Object.fromEntries(MatchMethod.map((m) => [m, parseRateLimits(spec(m))])) as Record<MatchMethod, ReturnType<typeof parseRateLimits>>;
}

/** Largest number of sorted timestamps that fit in a span of `windowMs`. */
function maxInWindow(timestamps: readonly number[], windowMs: number): number {
  let best = 0;
  for (let lo = 0, hi = 0; hi < timestamps.length; hi++) {
    while ((timestamps[hi] as number) - (timestamps[lo] as number) >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

export async function startGameApiEmulator(options: GameApiOptions = {}): Promise<GameApiEmulator> {
  const token = options.token ?? `RGAPI-${randomUUID()}`;
  const api = createMatchApi({
    token,
    appLimits: parseRateLimits(options.appLimits ?? DEFAULT_APP_LIMITS),
    methodLimits: methodLimitsFrom(options.methodLimits),
    enforceLimits: options.enforceLimits ?? true,
  });
  const faults = new FaultQueue();
  let timestamps: number[] = [];
  let byPath = new Map<string, number>();
  const sleeping = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => { sleeping.delete(entry); resolve(); }, ms), wake: resolve };
      sleeping.add(entry);
    });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const arrived = Date.now();
    timestamps.push(arrived);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const target = resolveTarget(url.pathname);
    byPath.set(target.path, (byPath.get(target.path) ?? 0) + 1);
    const send = (response: ApiResponse) => {
      if (res.destroyed) return;
      res.writeHead(response.status, {
        "Content-Type": "application/json;charset=utf-8",
        "Content-Length": Buffer.byteLength(response.body),
        ...response.headers,
      });
      res.end(response.body);
      options.log?.(`${response.status} ${req.method} ${req.url} ${Date.now() - arrived}ms`);
    };

    const fault = faults.take(target.route?.method);
    if (fault?.kind === "reset") {
      options.log?.(`reset ${req.method} ${req.url}`);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "slow") await sleep(fault.delayMs);
    if (fault?.kind === "5xx") {
      const status = fault.status ?? 503;
      send(riotError(status, http.STATUS_CODES[status] ?? "Server error", api.peekHeaders(target, Date.now())));
      return;
    }
    if (fault?.kind === "429") {
      const type = fault.rateLimitType ?? "application";
      const retryAfter = fault.retryAfterSeconds ?? (type === "service" ? undefined : 1);
      const headers = {
        ...api.peekHeaders(target, Date.now()),
        ...(retryAfter === undefined ? {} : { "Retry-After": String(retryAfter) }),
        "X-Rate-Limit-Type": type,
      };
      send(riotError(429, "Rate limit exceeded", headers));
      return;
    }

    const headerToken = req.headers["x-riot-token"];
    send(api.respond({
      httpMethod: req.method ?? "GET",
      target,
      query: url.searchParams,
      token: (Array.isArray(headerToken) ? headerToken[0] : headerToken) ?? url.searchParams.get("api_key") ?? undefined,
      now: Date.now(),
    }));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.(`error ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json;charset=utf-8" });
      res.end(riotError(500, "Internal server error").body);
    });
  });
  const port = options.port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    token,
    requests: () => timestamps.length,
    requestsByPath: () => Object.fromEntries(byPath),
    requestTimestamps: () => [...timestamps],
    maxRequestsInWindow: (windowMs = 60_000) => maxInWindow(timestamps, windowMs),
    inject: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    resetCounters() {
      timestamps = [];
      byPath = new Map();
      api.resetLimits();
    },
    async close() {
      // Slow requests would hold close() for their whole delay: cut them short.
      for (const entry of sleeping) {
        clearTimeout(entry.timer);
        entry.wake();
      }
      sleeping.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
