// Which match-v5 method a request path names, and in which region.
//
// Real clients pick the region by host (americas.api.riotgames.com …). One
// loopback server cannot, so the region is the path's first segment
// (/europe/lol/match/v5/…): a client's base URL is `${url}/{routing}`.

/** Riot's own names for the match-v5 methods (each has its method rate limit). */
export const MatchMethod = ["getMatchIdsByPUUID", "getMatch", "getTimeline"] as const;
export type MatchMethod = (typeof MatchMethod)[number];

export const RoutingValue = ["americas", "europe", "asia", "sea"] as const;
export type RoutingValue = (typeof RoutingValue)[number];

/** The platforms behind each routing value: a match id is `${platformId}_${gameId}` and lives in one region. */
export const platformsByRouting: Record<RoutingValue, readonly string[]> = {
  americas: ["NA1", "BR1", "LA1", "LA2"],
  europe: ["EUW1", "EUN1", "TR1", "RU", "ME1"],
  asia: ["KR", "JP1"],
  sea: ["OC1", "SG2", "TW2", "VN2"],
};

export type Route =
  | { method: "getMatchIdsByPUUID"; puuid: string }
  | { method: "getMatch"; matchId: string }
  | { method: "getTimeline"; matchId: string };

export interface Target {
  /** Undefined when the path names no known region. */
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

export function resolveTarget(pathname: string): Target {
  const [, prefix = "", rest = pathname] = /^\/([a-z]+)(\/.*)$/.exec(pathname) ?? [];
  const routing = RoutingValue.find((r) => r === prefix);
  const path = routing ? rest : pathname;
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

/** The region a match id's platform belongs to; undefined for a malformed id or an unknown platform. */
export function routingOfMatch(matchId: string): RoutingValue | undefined {
  const platform = /^([A-Z]{2,4}\d?)_\d{1,12}$/.exec(matchId)?.[1];
  return RoutingValue.find((routing) => platform !== undefined && platformsByRouting[routing].includes(platform));
}
