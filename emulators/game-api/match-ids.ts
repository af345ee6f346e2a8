// A player's match history: a deterministic, finite list of match ids per PUUID,
// newest first, filtered the way match-v5's by-puuid route filters it.
import { queues, type Queue } from "./catalog.ts";
import { gameCreationOf, gameIdBaseOf, platformsByRouting, type RoutingValue } from "./routing.ts";
import { hashString, seededRandom } from "./seeded-random.ts";

/** The queue a match was played in, from its id alone (details and filters agree). */
export function queueOfMatch(matchId: string): Queue {
  const random = seededRandom(`${matchId}:queue`);
  return queues[random.weighted(queues.map((q) => q.weight))] as Queue;
}

/**
 * The platform a PUUID plays on within a region: a hash of the PUUID unless the
 * caller names one (an emulator extension: the real route has no such parameter).
 */
export function platformOfPuuid(puuid: string, routing: RoutingValue, requested?: string): string {
  const platforms = platformsByRouting[routing];
  if (requested !== undefined) return requested;
  return platforms[hashString(`platform:${puuid}`) % platforms.length] as string;
}

export interface MatchIdFilter {
  /** Index into the filtered history; Riot's default 0. */
  start: number;
  /** How many ids; Riot's default 20, at most 100. */
  count: number;
  queue?: number;
  type?: string;
  /** Epoch seconds, inclusive. */
  startTime?: number;
  /** Epoch seconds, inclusive. */
  endTime?: number;
}

/** Every match id of the PUUID's history, newest first: 100 to 499 games. */
export function matchHistory(puuid: string, platformId: string): string[] {
  const random = seededRandom(`history:${platformId}:${puuid}`);
  const length = random.int(100, 499);
  let gameId = gameIdBaseOf(platformId) + 200_000_000 + random.int(0, 99_999_999);
  const ids: string[] = [];
  for (let i = 0; i < length; i++) {
    ids.push(`${platformId}_${gameId}`);
    // 30k to 500k ids apart: from under an hour to most of a day between games.
    gameId -= random.int(30_000, 500_000);
  }
  return ids;
}

export function listMatchIds(puuid: string, platformId: string, filter: MatchIdFilter): string[] {
  const matching = matchHistory(puuid, platformId).filter((matchId) => {
    const queue = queueOfMatch(matchId);
    if (filter.queue !== undefined && queue.queueId !== filter.queue) return false;
    if (filter.type !== undefined && queue.type !== filter.type) return false;
    if (filter.startTime === undefined && filter.endTime === undefined) return true;
    const [platform, digits] = matchId.split("_") as [string, string];
    const createdSeconds = gameCreationOf({ platformId: platform, gameId: Number(digits) }) / 1000;
    if (filter.startTime !== undefined && createdSeconds < filter.startTime) return false;
    if (filter.endTime !== undefined && createdSeconds > filter.endTime) return false;
    return true;
  });
  return matching.slice(filter.start, filter.start + filter.count);
}
