// Field schemas the match tasks share.
import { z } from "zod";

/** Riot's PUUID is 78 characters of base64url; other games' ids are shorter. */
export const puuid = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "must be a PUUID (letters, digits, - and _)");

/** `${PLATFORM}_${gameId}`, e.g. NA1_5123456789. */
export const matchId = z.string().regex(/^[A-Z][A-Z0-9]{1,4}_\d{1,15}$/, "must be a match id like NA1_5123456789");

/** How many of a player's most recent matches: match-v5 serves at most 100 per request. */
export const historyCount = z.number().int().min(1).max(100);

/** Queue and attempts shared by every match task (the seed's Celery settings). */
export const matchTaskSettings = {
  queue: "matches",
  // 3 attempts, backoff 2^n s: 2, 4, 8 … (with jitter), capped at 5 minutes.
  retry: { maxAttempts: 3, minBackoffSeconds: 2, maxBackoffSeconds: 300 },
  timeLimit: { softSeconds: 240, hardSeconds: 300 },
} as const;
