// The match-v5 API itself, transport aside: auth, rate limits, then the three
// routes. Turns a parsed request into status, headers and a JSON body.
import { matchDto, matchHistory, timelineDto } from "./documents.ts";
import { KeyedRateLimiter, type LimitReading, type RateLimit } from "./rate-limits.ts";
import { MatchMethod, routingOfMatch, type Route, type RoutingValue, type Target } from "./routes.ts";

export interface ApiRequest {
  httpMethod: string;
  target: Target;
  query: URLSearchParams;
  /** X-Riot-Token header, else the api_key query parameter (Riot accepts both). */
  token: string | undefined;
  now: number;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface MatchApiOptions {
  token: string;
  appLimits: readonly RateLimit[];
  methodLimits: Record<MatchMethod, readonly RateLimit[]>;
  enforceLimits: boolean;
}

/** Riot's error body: {"status": {"message", "status_code"}}. */
export function riotError(status: number, message: string, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers, body: JSON.stringify({ status: { message, status_code: status } }) };
}

const MATCH_NOT_FOUND = "Data not found - match file not found";
const RENDERED_CACHE_SIZE = 16;

function limitHeaders(app: LimitReading, method: LimitReading | undefined): Record<string, string> {
  return {
    "X-App-Rate-Limit": app.limits,
    "X-App-Rate-Limit-Count": app.counts,
    ...(method ? { "X-Method-Rate-Limit": method.limits, "X-Method-Rate-Limit-Count": method.counts } : {}),
  };
}

/** Riot's by-puuid filters the platform never sends: refused rather than ignored, so a caller that needs one finds out here. */
const UNIMPLEMENTED_FILTERS = ["queue", "type", "startTime", "endTime"];

/** Reads start and count the way Riot validates them; a string is a 400 message. */
function idsPage(query: URLSearchParams): { start: number; count: number } | string {
  const int = (name: string, fallback: number, max: number): number | string => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isInteger(value) || value < 0 || value > max) return `Bad Request - ${name} must be an integer in [0, ${max}], got "${raw}"`;
    return value;
  };
  const start = int("start", 0, Number.MAX_SAFE_INTEGER);
  const count = int("count", 20, 100);
  if (typeof start === "string") return start;
  if (typeof count === "string") return count;
  return { start, count };
}

export function createMatchApi(options: MatchApiOptions) {
  const app = new KeyedRateLimiter(options.appLimits);
  const methods = Object.fromEntries(MatchMethod.map((m) => [m, new KeyedRateLimiter(options.methodLimits[m])])) as Record<MatchMethod, KeyedRateLimiter>;
  /** The last few rendered bodies: timelines take tens of ms to write. */
  const rendered = new Map<string, string>();

  function render(kind: "getMatch" | "getTimeline", matchId: string): string {
    const key = `${kind}:${matchId}`;
    const body = rendered.get(key) ?? JSON.stringify(kind === "getMatch" ? matchDto(matchId) : timelineDto(matchId));
    rendered.delete(key); // re-inserted below as the most recent
    if (rendered.size >= RENDERED_CACHE_SIZE) rendered.delete(rendered.keys().next().value as string);
    rendered.set(key, body);
    return body;
  }

  function dispatch(route: Route, routing: RoutingValue, query: URLSearchParams, headers: Record<string, string>): ApiResponse {
    if (route.method === "getMatchIdsByPUUID") {
      const filter = UNIMPLEMENTED_FILTERS.find((name) => query.has(name));
      if (filter) return riotError(501, `Not Implemented - the game API stand-in does not filter by ${filter} (emulators/game-api/README.md)`, headers);
      const page = idsPage(query);
      if (typeof page === "string") return riotError(400, page, headers);
      return { status: 200, headers, body: JSON.stringify(matchHistory(route.puuid, routing, page.start, page.count)) };
    }
    // A match lives in one region: asking another region for it finds nothing.
    if (routingOfMatch(route.matchId) !== routing) return riotError(404, MATCH_NOT_FOUND, headers);
    return { status: 200, headers, body: render(route.method, route.matchId) };
  }

  /** Current counts for the rate-limit headers, without counting a request. */
  function peekHeaders(target: Target, now: number): Record<string, string> {
    if (!target.routing) return {};
    const method = target.route ? methods[target.route.method].peek(target.routing, now) : undefined;
    return limitHeaders(app.peek(target.routing, now), method);
  }

  return {
    peekHeaders,

    respond({ httpMethod, target, query, token, now }: ApiRequest): ApiResponse {
      const { routing, route } = target;
      if (!routing) return riotError(404, "Resource not found - the path starts with a routing value: /americas, /europe, /asia or /sea");
      const peeked = peekHeaders(target, now);
      if (token === undefined || token === "") return riotError(401, "Unauthorized", peeked);
      if (token !== options.token) return riotError(403, "Forbidden", peeked);
      if (!route) return riotError(404, "Resource not found", peeked);
      if (httpMethod !== "GET") return riotError(405, "Method not allowed", peeked);

      const appReading = app.take(routing, now);
      const methodReading = methods[route.method].take(routing, now);
      const headers = limitHeaders(appReading, methodReading);
      const exceeded = appReading.retryAfterSeconds !== undefined ? "application" : methodReading.retryAfterSeconds !== undefined ? "method" : undefined;
      if (exceeded && options.enforceLimits) {
        const retryAfter = (exceeded === "application" ? appReading : methodReading).retryAfterSeconds as number;
        return riotError(429, "Rate limit exceeded", { ...headers, "Retry-After": String(retryAfter), "X-Rate-Limit-Type": exceeded });
      }
      return dispatch(route, routing, query, headers);
    },

    /** Forgets every rate-limit window (the next request opens fresh ones). */
    resetLimits(): void {
      app.reset();
      for (const m of MatchMethod) methods[m].reset();
    },
  };
}

