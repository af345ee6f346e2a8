// Riot's regional routing values and the platforms behind each, as match-v5
// uses them: a match id is `${platformId}_${gameId}` and lives in one region.

export const RoutingValue = ["americas", "europe", "asia", "sea"] as const;
export type RoutingValue = (typeof RoutingValue)[number];

export const platformsByRouting: Record<RoutingValue, readonly string[]> = {
  americas: ["NA1", "BR1", "LA1", "LA2"],
  europe: ["EUW1", "EUN1", "TR1", "RU", "ME1"],
  asia: ["KR", "JP1"],
  sea: ["OC1", "SG2", "TW2", "VN2"],
};

/** Roughly where each platform's game ids sit today, so ids look like the real ones. */
const gameIdBase: Record<string, number> = {
  NA1: 5_100_000_000, BR1: 3_000_000_000, LA1: 1_600_000_000, LA2: 1_500_000_000,
  EUW1: 7_200_000_000, EUN1: 3_700_000_000, TR1: 1_500_000_000, RU: 500_000_000, ME1: 100_000_000,
  KR: 7_300_000_000, JP1: 450_000_000,
  OC1: 620_000_000, SG2: 120_000_000, TW2: 400_000_000, VN2: 1_100_000_000,
};

export function isRoutingValue(value: string): value is RoutingValue {
  return (RoutingValue as readonly string[]).includes(value);
}

export function routingOfPlatform(platformId: string): RoutingValue | undefined {
  return RoutingValue.find((routing) => platformsByRouting[routing].includes(platformId));
}

export function gameIdBaseOf(platformId: string): number {
  return gameIdBase[platformId] ?? 1_000_000_000;
}

export interface MatchIdParts {
  platformId: string;
  gameId: number;
}

const MATCH_ID = /^([A-Z]{2,4}\d?)_(\d{1,12})$/;

/** Splits `NA1_4812345678`; undefined when the shape or the platform is unknown. */
export function parseMatchId(matchId: string): MatchIdParts | undefined {
  const found = MATCH_ID.exec(matchId);
  if (!found) return undefined;
  const [, platformId, digits] = found as unknown as [string, string, string];
  if (!routingOfPlatform(platformId)) return undefined;
  return { platformId, gameId: Number(digits) };
}

/**
 * The creation time a game id implies: ids grow with time (one id per 100 ms on
 * each platform, counted from 2024-01-01), so a player's history sorted by id is
 * sorted by time, and `startTime`/`endTime` filters agree with `gameCreation`.
 * Ids far below the platform's base (hand-typed ones like NA1_1) stop at 2020.
 */
export function gameCreationOf({ platformId, gameId }: MatchIdParts): number {
  return Math.max(Date.UTC(2020, 0, 1), Date.UTC(2024, 0, 1) + (gameId - gameIdBaseOf(platformId)) * 100);
}
