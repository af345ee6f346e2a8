// The match tasks' handlers and schemas with in-memory ports.
import { describe, expect, it } from "vitest";
import type { TaskContext } from "../../core/task-kit.ts";
import type { GameApi, MatchStore, StoredMatch } from "./ports.ts";
import { batchFetchMatches, fetchAndStoreMatch, fetchMatchHistory } from "./index.ts";

function fakeContext() {
  const calls: string[] = [];
  const stored = new Map<string, StoredMatch>();
  const enqueued: { type: string; payload: unknown; key: string | undefined }[] = [];
  const doc = (json: string) => ({ json, bytes: Buffer.byteLength(json) });
  const gameApi: GameApi = {
    async matchIdsByPuuid(routing, puuid, { count }) {
      calls.push(`ids ${routing} ${puuid} ${count}`);
      return Array.from({ length: count }, (_, i) => `NA1_${100 + i}`);
    },
    async match(routing, matchId) { calls.push(`match ${routing} ${matchId}`); return doc(`{"id":"${matchId}"}`); },
    async timeline(routing, matchId) { calls.push(`timeline ${routing} ${matchId}`); return doc(`{"frames":["${matchId}"]}`); },
  };
  const matchStore: MatchStore = {
    async exists(id) { return stored.has(id); },
    async save(match) { if (stored.has(match.matchId)) return false; stored.set(match.matchId, match); return true; },
  };
  const ctx = {
    taskId: "t-1", attempt: 1, maxAttempts: 3, signal: new AbortController().signal,
    progress: async () => undefined,
    log: { debug() {}, info() {}, warn() {}, error() {}, child() { return this; } },
    enqueueGroup: async (spec: { kind: string; tasks: { type: string; payload?: unknown }[] }, options?: { idempotencyKey?: string }) => {
      for (const t of spec.tasks) enqueued.push({ type: t.type, payload: t.payload, key: options?.idempotencyKey });
      return { groupId: `group-${spec.kind}`, taskIds: spec.tasks.map((_, i) => `child-${i + 1}`) };
    },
    gameApi,
    matchStore,
  } as unknown as TaskContext<typeof fetchAndStoreMatch.uses>;
  return { ctx, calls, stored, enqueued };
}

describe("matches.fetch_history", () => {
  it("asks the region's routing value for count ids, 20 by default", async () => {
    const { ctx, calls } = fakeContext();
    const input = fetchMatchHistory.input.parse({ puuid: "abc", region: "BR1" });
    expect(await fetchMatchHistory.handler(input, ctx)).toEqual({ match_ids: expect.any(Array) });
    expect(calls).toEqual(["ids americas abc 20"]);
    expect(fetchMatchHistory.input.safeParse({ puuid: "abc", region: "na1", count: 101 }).success).toBe(false);
  });
});

describe("matches.fetch_and_store", () => {
  it("fetches details and timeline from the routing value and stores both with their region", async () => {
    const { ctx, calls, stored } = fakeContext();
    const result = await fetchAndStoreMatch.handler(fetchAndStoreMatch.input.parse({ match_id: "KR_42", region: "kr" }), ctx);
    expect(result).toEqual({ match_id: "KR_42", cached: false, details_bytes: 14, timeline_bytes: 20 });
    expect(calls).toEqual(["match asia KR_42", "timeline asia KR_42"]);
    expect(stored.get("KR_42")).toEqual({ matchId: "KR_42", region: "kr", routing: "asia", details: '{"id":"KR_42"}', timeline: '{"frames":["KR_42"]}' });
    expect(fetchAndStoreMatch.output.safeParse(result).success).toBe(true);
  });

  it("never calls the upstream for a stored match", async () => {
    const { ctx, calls } = fakeContext();
    const input = fetchAndStoreMatch.input.parse({ match_id: "OC1_7", region: "oc1" });
    await fetchAndStoreMatch.handler(input, ctx);
    calls.length = 0;
    expect(await fetchAndStoreMatch.handler(input, ctx)).toEqual({ match_id: "OC1_7", cached: true });
    expect(calls).toEqual([]);
  });

  it("refuses bad match ids and regions", () => {
    expect(fetchAndStoreMatch.input.safeParse({ match_id: "NA1-1", region: "na1" }).success).toBe(false);
    const region = fetchAndStoreMatch.input.safeParse({ match_id: "NA1_1", region: "xx9" });
    expect(region.error?.issues.map((i) => i.path.join("."))).toEqual(["region"]);
  });
});

describe("matches.batch_fetch", () => {
  it("submits one fetch_and_store per distinct match, as one group keyed to the batch", async () => {
    const { ctx, enqueued } = fakeContext();
    const input = batchFetchMatches.input.parse({ match_ids: ["EUW1_1", "EUW1_2", "EUW1_1"], region: "euw1" });
    const result = await batchFetchMatches.handler(input, ctx);
    expect(result).toEqual({ group_id: "group-group", task_ids: ["child-1", "child-2"], match_ids: ["EUW1_1", "EUW1_2"], count: 2 });
    expect(enqueued).toEqual([
      { type: "matches.fetch_and_store", payload: { match_id: "EUW1_1", region: "euw1" }, key: "batch" },
      { type: "matches.fetch_and_store", payload: { match_id: "EUW1_2", region: "euw1" }, key: "batch" },
    ]);
  });

  it("takes a player's history when given a puuid", async () => {
    const { ctx, calls, enqueued } = fakeContext();
    const result = await batchFetchMatches.handler(batchFetchMatches.input.parse({ puuid: "p1", region: "la2", count: 3 }), ctx);
    expect(calls).toEqual(["ids americas p1 3"]);
    expect(result.count).toBe(3);
    expect(enqueued.map((e) => (e.payload as { region: string }).region)).toEqual(["la2", "la2", "la2"]);
  });

  it("wants match_ids or puuid, not both, and count only with puuid", () => {
    const paths = (payload: unknown) => batchFetchMatches.input.safeParse(payload).error?.issues.map((i) => i.path.join("."));
    expect(paths({ region: "na1" })).toEqual(["match_ids"]);
    expect(paths({ region: "na1", puuid: "p", match_ids: ["NA1_1"] })).toEqual(["match_ids"]);
    expect(paths({ region: "na1", match_ids: ["NA1_1"], count: 5 })).toEqual(["count"]);
    expect(paths({ region: "na1", match_ids: [] })).toEqual(["match_ids"]);
    expect(paths({ region: "na1", puuid: "p", count: 5 })).toBeUndefined();
  });
});
