// The matches domain's outside systems: the game API and the store of fetched matches.
import { port } from "../../core/task-kit.ts";

/** A JSON document from the game API, as received: stored without re-encoding. */
export interface GameApiDocument {
  /** The response body, UTF-8 JSON text. */
  json: string;
  bytes: number;
}

/**
 * The game API (Riot match-v5), by regional routing value ("americas", "europe",
 * "asia", "sea"). 429s surface as RetryAfterError, 404s as NonRetryableError.
 */
export interface GameApi {
  /** A player's most recent match ids, newest first (count 0-100). */
  matchIdsByPuuid(routing: string, puuid: string, options: { count: number; start?: number }, signal?: AbortSignal): Promise<string[]>;
  match(routing: string, matchId: string, signal?: AbortSignal): Promise<GameApiDocument>;
  timeline(routing: string, matchId: string, signal?: AbortSignal): Promise<GameApiDocument>;
}

export interface StoredMatch {
  matchId: string;
  region: string;
  routing: string;
  /** JSON text of the match details and timeline. */
  details: string;
  timeline: string;
}

/** Where fetched matches are kept (Postgres, JSONB). */
export interface MatchStore {
  exists(matchId: string): Promise<boolean>;
  /** Idempotent: saving a match that is already stored keeps the stored one and returns false. */
  save(match: StoredMatch): Promise<boolean>;
}


export const gameApi = port<GameApi>("gameApi");
export const matchStore = port<MatchStore>("matchStore");
