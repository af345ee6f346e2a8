// The matches queue as deployed (100 dispatches a minute, 10 at once) against a
// game API stand-in with tight limits and injected 429s, on a stack of its own:
// every task still succeeds, the upstream never counts more than its limits in
// any of its windows (the client reads the rate-limit headers and holds off at
// 90%), and Cloud Tasks keeps dispatches to the queue's rate.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import type { Stack } from "../../emulators/stack.ts";
import { registry } from "../../functions/registry.ts";
import { newPuuid, run, startMatchStack, waitForAll, type Api } from "./matches-support.ts";

// 10 per second and 40 per 20 s: 30 matches (60 requests) need two long windows.
const LIMITS = [{ limit: 10, windowMs: 1_000 }, { limit: 40, windowMs: 20_000 }];
const MATCHES = 30;
const INJECTED_429S = 3;

let stack: Stack;
let api: Api;
let db: pg.Pool;
const statuses: number[] = [];

beforeAll(async () => {
  ({ stack, api, db } = await startMatchStack({
    keyPrefix: "matchlimits",
    gameApi: {
      appLimits: LIMITS.map((l) => `${l.limit}:${l.windowMs / 1000}`).join(","),
      // Every answer the stand-in sends: "429 GET /americas/lol/… 3ms".
      log: (line) => { if (/^\d{3} /.test(line)) statuses.push(Number(line.slice(0, 3))); },
    },
  }));
});

afterAll(async () => {
  await db?.end();
  await stack?.stop();
});

/**
 * The most requests any of the upstream's fixed windows held, replayed from the
 * arrival times the way Riot (and the stand-in) count: a window opens at the
 * first request after the previous one closed.
 */
function fullestFixedWindow(timestamps: readonly number[], windowMs: number): number {
  let fullest = 0;
  let openedAt = -Infinity;
  let count = 0;
  for (const t of timestamps) {
    if (t >= openedAt + windowMs) {
      openedAt = t;
      count = 0;
    }
    fullest = Math.max(fullest, ++count);
  }
  return fullest;
}

describe("matches under the game API's rate limits", () => {
  it("fetches every match despite 429s, never exceeding the upstream's limits or the queue's rate", async () => {
    stack.gameApi.inject({ kind: "429", method: "getMatch", times: INJECTED_429S, retryAfterSeconds: 1 });
    const batch = await run<{ task_ids: string[]; match_ids: string[] }>(api, "matches.batch_fetch", { puuid: newPuuid(), region: "la1", count: MATCHES });
    expect(batch.result.task_ids).toHaveLength(MATCHES);
    const children = await waitForAll(api, batch.result.task_ids, "SUCCESS", 120_000);

    const stored = await db.query("SELECT count(*)::int AS n FROM matches WHERE match_id = ANY($1)", [batch.result.match_ids]);
    expect(stored.rows[0].n).toBe(MATCHES);

    // The only 429s were the injected ones: the client stopped itself before the upstream had to.
    expect(statuses.filter((s) => s === 429)).toHaveLength(INJECTED_429S);
    // What the stand-in's limiter counted: every request but the faulted ones, which are answered
    // before counting. Those are requests 1-3: the history call comes first, and no timeline can
    // be asked before a getMatch has succeeded.
    const counted = stack.gameApi.requestTimestamps().filter((_, i) => i === 0 || i > INJECTED_429S);
    for (const { limit, windowMs } of LIMITS) expect(fullestFixedWindow(counted, windowMs)).toBeLessThanOrEqual(limit);

    // 60 requests cannot fit one 40-request window: tasks were held off (RetryAfterError), beyond the injected 429s.
    const attempts = children.reduce((sum, c) => sum + c.attempts, 0);
    expect(attempts).toBeGreaterThan(MATCHES + INJECTED_429S);

    // Cloud Tasks dispatched at the queue's rate; each dispatch asks the upstream twice at most, and
    // a task may wait up to GAME_API_MAX_WAIT_MS (2 s) in-process before asking.
    const queue = registry.queue("matches");
    const windowSeconds = 10;
    const dispatches = 1 + queue.maxDispatchesPerSecond * (windowSeconds + 2.5);
    expect(stack.gameApi.maxRequestsInWindow(windowSeconds * 1000)).toBeLessThanOrEqual(Math.floor(2 * dispatches) + 1);
  }, 180_000);
});
