// Which match-v5 method a request path names, and in which region.
//
// Real clients pick the region by host (americas.api.riotgames.com …). One
// loopback server cannot, so the region comes from a path prefix
// (/europe/lol/match/v5/…), or else from an X-Routing header, or else americas.
// A client's base URL then becomes `${url}/europe` with no other change.
import { isRoutingValue, type RoutingValue } from "./routing.ts";

/** Riot's own names for the match-v5 methods (each has its method rate limit). */
export const MatchMethod = ["getMatchIdsByPUUID", "getMatch", "getTimeline"] as const;
export type MatchMethod = (typeof MatchMethod)[number];

export type Route =
  | { method: "getMatchIdsByPUUID"; puuid: string }
  | { method: "getMatch"; matchId: string }
  | { method: "getTimeline"; matchId: string };

export const DEFAULT_ROUTING: RoutingValue = "americas";

export interface Target {
  /** Undefined when the X-Routing header names no known region. */
  routing: RoutingValue | undefined;
  /** The path without the region prefix: the key for per-path counts. */
  path: string;
  route: Route | undefined;
}

const ROUTES: { pattern: RegExp; route: (match: string) => Route }[] = [
  { pattern: /^\/lol\/match\/v5\/matches\/by-puuid\/([^/]+)\/ids$/, route: (puuid) => ({ method: "getMatchIdsByPUUID", puuid }) },
  { pattern: /^\/lol\/match\/v5\/matches\/([^/]+)\/timeline$/, route: (matchId) => ({ method: "getTimeline", matchId }) },
  { pattern: /^\/lol\/match\/v5\/matches\/([^/]+)$/, route: (matchId) => ({ method: "getMatch", matchId }) },
];

export function resolveTarget(pathname: string, routingHeader: string | string[] | undefined): Target {
  const prefixed = /^\/([a-z]+)(\/lol\/.*)$/.exec(pathname);
  let routing: RoutingValue | undefined;
  let path = pathname;
  if (prefixed && isRoutingValue(prefixed[1] as string)) {
    routing = prefixed[1] as RoutingValue;
    path = prefixed[2] as string;
  } else {
    const header = (Array.isArray(routingHeader) ? routingHeader[0] : routingHeader)?.trim().toLowerCase();
    routing = header === undefined || header === "" ? DEFAULT_ROUTING : isRoutingValue(header) ? header : undefined;
  }
  for (const { pattern, route } of ROUTES) {
    const found = pattern.exec(path);
    if (!found) continue;
    try {
      return { routing, path, route: route(decodeURIComponent(found[1] as string)) };
    } catch {
      break; // malformed percent-encoding: no such resource
    }
  }
  return { routing, path, route: undefined };
}
