// The match-v5 API itself, transport aside: auth, rate limits, then the three
// routes. Turns a parsed request into status, headers and a JSON body.
import { matchDto } from "./match-details.ts";
import { listMatchIds, platformOfPuuid, type MatchIdFilter } from "./match-ids.ts";
import { simulateMatch } from "./match-sim.ts";
import { timelineDto } from "./match-timeline.ts";
import { KeyedRateLimiter, type LimitReading, type RateLimit } from "./rate-limits.ts";
import { MatchMethod, type Route, type Target } from "./routes.ts";
import { parseMatchId, platformsByRouting, routingOfPlatform, type RoutingValue } from "./routing.ts";

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

/** Reads the by-puuid query the way Riot validates it; a string is a 400 message. */
function idsFilter(query: URLSearchParams): MatchIdFilter | string {
  const int = (name: string, min: number, max: number): number | undefined | string => {
    const raw = query.get(name);
    if (raw === null) return undefined;
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isInteger(value) || value < min || value > max) return `Bad Request - ${name} must be an integer in [${min}, ${max}], got "${raw}"`;
    return value;
  };
  const start = int("start", 0, Number.MAX_SAFE_INTEGER);
  const count = int("count", 0, 100);
  const queue = int("queue", 0, 100_000);
  const startTime = int("startTime", 0, Number.MAX_SAFE_INTEGER);
  const endTime = int("endTime", 0, Number.MAX_SAFE_INTEGER);
  for (const value of [start, count, queue, startTime, endTime]) if (typeof value === "string") return value;
  const type = query.get("type") ?? undefined;
  if (type !== undefined && !["ranked", "normal", "tourney", "tutorial"].includes(type)) return `Bad Request - unknown type "${type}"`;
  return {
    start: (start as number | undefined) ?? 0,
    count: (count as number | undefined) ?? 20,
    ...(queue === undefined ? {} : { queue: queue as number }),
    ...(type === undefined ? {} : { type }),
    ...(startTime === undefined ? {} : { startTime: startTime as number }),
    ...(endTime === undefined ? {} : { endTime: endTime as number }),
  };
}

export function createMatchApi(options: MatchApiOptions) {
  const app = new KeyedRateLimiter(options.appLimits);
  const methods = Object.fromEntries(MatchMethod.map((m) => [m, new KeyedRateLimiter(options.methodLimits[m])])) as Record<MatchMethod, KeyedRateLimiter>;
  /** Match id → PUUIDs whose listed history held it: they sit in that match. */
  const owners = new Map<string, Set<string>>();
  /** The last few rendered bodies: timelines take tens of ms to write. */
  const rendered = new Map<string, string>();

  function render(kind: "getMatch" | "getTimeline", matchId: string): string | undefined {
    const parts = parseMatchId(matchId);
    if (!parts) return undefined;
    const seated = [...(owners.get(matchId) ?? [])].sort();
    const key = `${kind}:${matchId}:${seated.join(",")}`;
    let body = rendered.get(key);
    if (body === undefined) {
      const game = simulateMatch(matchId, parts, seated);
      body = JSON.stringify(kind === "getMatch" ? matchDto(game) : timelineDto(game));
      if (rendered.size >= RENDERED_CACHE_SIZE) rendered.delete(rendered.keys().next().value as string);
    } else {
      rendered.delete(key); // re-inserted below as the most recent
    }
    rendered.set(key, body);
    return body;
  }

  function dispatch(route: Route, routing: RoutingValue, query: URLSearchParams, headers: Record<string, string>): ApiResponse {
    if (route.method === "getMatchIdsByPUUID") {
      const filter = idsFilter(query);
      if (typeof filter === "string") return riotError(400, filter, headers);
      const platform = query.get("platform") ?? undefined;
      if (platform !== undefined && !platformsByRouting[routing].includes(platform)) {
        return riotError(400, `Bad Request - platform "${platform}" is not in region ${routing}`, headers);
      }
      const ids = listMatchIds(route.puuid, platformOfPuuid(route.puuid, routing, platform), filter);
      for (const id of ids) {
        const seated = owners.get(id) ?? new Set<string>();
        seated.add(route.puuid);
        owners.set(id, seated);
      }
      return { status: 200, headers, body: JSON.stringify(ids) };
    }
    // A match lives in one region: asking another region for it finds nothing.
    const platform = parseMatchId(route.matchId)?.platformId;
    if (platform === undefined || routingOfPlatform(platform) !== routing) return riotError(404, MATCH_NOT_FOUND, headers);
    const body = render(route.method, route.matchId);
    return body === undefined ? riotError(404, MATCH_NOT_FOUND, headers) : { status: 200, headers, body };
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
      if (!routing) return riotError(400, "Bad Request - X-Routing must be one of americas, europe, asia, sea");
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

export type MatchApi = ReturnType<typeof createMatchApi>;
