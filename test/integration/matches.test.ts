// The matches domain through the API, on a stack of its own: the game API
// stand-in's counters tell whether the upstream was asked, the test database
// whether rows were written. The stand-in's limits are out of reach here and
// the matches queue runs faster than in production, so 50-match batches take
// seconds; matches-rate-limits.test.ts runs the production queue against tight limits.
import { CloudTasksClient } from "@google-cloud/tasks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import type { Stack } from "../../emulators/stack.ts";
import { cloudTasksClientOptions } from "../../emulators/cloud-tasks/index.ts";
import { newPuuid, resultOf, run, startMatchStack, waitForAll, type Api } from "./matches-support.ts";

let stack: Stack;
let api: Api;
let db: pg.Pool;

beforeAll(async () => {
  ({ stack, api, db } = await startMatchStack({ keyPrefix: "matches", gameApi: { appLimits: "1000:1,100000:120" } }));
  const tasks = new CloudTasksClient(cloudTasksClientOptions(stack.cloudTasks.port));
  try {
    await tasks.updateQueue({
      queue: { name: "projects/local/locations/us-central1/queues/matches", rateLimits: { maxDispatchesPerSecond: 50, maxConcurrentDispatches: 10 } },
      updateMask: { paths: ["rate_limits.max_dispatches_per_second", "rate_limits.max_concurrent_dispatches"] },
    });
  } finally {
    await tasks.close();
  }
});

afterAll(async () => {
  await db?.end();
  await stack?.stop();
});

type Stored = { cached: false; match_id: string; details_bytes: number; timeline_bytes: number } | { cached: true; match_id: string };

const storedRows = async (ids: readonly string[]) =>
  (await db.query<{ match_id: string }>("SELECT match_id FROM matches WHERE match_id = ANY($1)", [ids])).rows.map((r) => r.match_id).sort();

/** Upstream requests for one match, details and timeline. */
const requestsFor = (id: string) => {
  const byPath = stack.gameApi.requestsByPath();
  return (byPath[`/lol/match/v5/matches/${id}`] ?? 0) + (byPath[`/lol/match/v5/matches/${id}/timeline`] ?? 0);
};

describe("matches", () => {
  it("fetch_history returns the player's most recent match ids from the region's routing value", async () => {
    const puuid = newPuuid();
    const { result } = await run<{ match_ids: string[] }>(api, "matches.fetch_history", { puuid, region: "euw1", count: 7 });
    expect(result.match_ids).toHaveLength(7);
    for (const id of result.match_ids) expect(id).toMatch(/^(EUW1|EUN1|TR1|RU|ME1)_\d+$/);
    expect(stack.gameApi.requestsByPath()[`/lol/match/v5/matches/by-puuid/${puuid}/ids`]).toBe(1);
    const direct = await fetch(`${stack.gameApi.url}/europe/lol/match/v5/matches/by-puuid/${puuid}/ids?count=7`, { headers: { "X-Riot-Token": stack.gameApi.token } });
    expect(await direct.json()).toEqual(result.match_ids);
  });

  it("fetch_and_store stores details and timeline; run again, it answers cached without asking the upstream", async () => {
    const id = `NA1_${5_100_000_000 + Math.floor(Math.random() * 1e8)}`;
    const first = await run<Stored>(api, "matches.fetch_and_store", { match_id: id, region: "na1" });
    expect(first.result).toEqual({ match_id: id, cached: false, details_bytes: expect.any(Number), timeline_bytes: expect.any(Number) });
    if (first.result.cached) throw new Error("unreachable");
    expect(first.result.timeline_bytes).toBeGreaterThan(first.result.details_bytes);
    const { rows } = await db.query(
      `SELECT region, routing, details->'metadata'->>'matchId' AS details_id, timeline->'metadata'->>'matchId' AS timeline_id,
              jsonb_array_length(timeline->'info'->'frames') > 0 AS has_frames, fetched_at > now() - interval '1 minute' AS fresh
       FROM matches WHERE match_id = $1`, [id]);
    expect(rows).toEqual([{ region: "na1", routing: "americas", details_id: id, timeline_id: id, has_frames: true, fresh: true }]);
    expect(requestsFor(id)).toBe(2);

    const second = await run<Stored>(api, "matches.fetch_and_store", { match_id: id, region: "NA1" });
    expect(second.result).toEqual({ match_id: id, cached: true });
    expect(requestsFor(id)).toBe(2);
  });

  it("batch_fetch of 50 matches stores 50 rows; the same batch again is all cached and asks the upstream nothing", async () => {
    const { result: history } = await run<{ match_ids: string[] }>(api, "matches.fetch_history", { puuid: newPuuid(), region: "kr", count: 50 });
    const ids = history.match_ids;
    expect(new Set(ids).size).toBe(50);

    const batch = await run<{ group_id: string; task_ids: string[]; match_ids: string[]; count: number }>(api, "matches.batch_fetch", { match_ids: ids, region: "kr" });
    expect(batch.result.count).toBe(50);
    expect(batch.result.match_ids).toEqual(ids);
    const children = await waitForAll(api, batch.result.task_ids, "SUCCESS", 60_000);
    expect(children.every((c) => c.status === "SUCCESS")).toBe(true);
    const group = await api.call<{ state: string; done: number; total: number; members: { task_id: string }[] }>("GET", `/v1/groups/${batch.result.group_id}`);
    expect(group.body).toMatchObject({ state: "SUCCESS", done: 50, total: 50 });
    expect(group.body.members.map((m) => m.task_id)).toEqual(batch.result.task_ids);
    const results = await Promise.all(batch.result.task_ids.map((t) => resultOf<Stored>(api, t)));
    expect(results.map((r) => r.match_id)).toEqual(ids);
    expect(results.every((r) => r.cached === false)).toBe(true);
    expect(await storedRows(ids)).toEqual([...ids].sort());

    const before = stack.gameApi.requests();
    const again = await run<{ task_ids: string[]; count: number }>(api, "matches.batch_fetch", { match_ids: ids, region: "kr" });
    expect(again.result.count).toBe(50);
    expect(new Set([...again.result.task_ids, ...batch.result.task_ids]).size).toBe(100);
    await waitForAll(api, again.result.task_ids, "SUCCESS", 60_000);
    const cached = await Promise.all(again.result.task_ids.map((t) => resultOf<Stored>(api, t)));
    expect(cached.every((r) => r.cached === true)).toBe(true);
    expect(stack.gameApi.requests()).toBe(before);
    expect(await storedRows(ids)).toHaveLength(50);
  }, 120_000);

  it("batch_fetch by puuid fetches the player's history, then each match", async () => {
    const puuid = newPuuid();
    const batch = await run<{ task_ids: string[]; match_ids: string[]; count: number }>(api, "matches.batch_fetch", { puuid, region: "vn2", count: 3 });
    expect(batch.result.count).toBe(3);
    expect(stack.gameApi.requestsByPath()[`/lol/match/v5/matches/by-puuid/${puuid}/ids`]).toBe(1);
    await waitForAll(api, batch.result.task_ids, "SUCCESS", 30_000);
    expect(await storedRows(batch.result.match_ids)).toEqual([...batch.result.match_ids].sort());
  });

  it("a match the upstream does not have ends FAILURE at once, not retried, and stores nothing", async () => {
    // Match ids live in one region: an EUW1 match asked of americas is a 404.
    const id = `EUW1_${7_200_000_000 + Math.floor(Math.random() * 1e8)}`;
    const { body } = await api.submit("matches.fetch_and_store", { match_id: id, region: "na1" });
    const failed = await api.waitFor(body.task_id, "FAILURE");
    expect(failed.attempts).toBe(1);
    expect(failed.error).toMatchObject({ type: "NonRetryableError", message: expect.stringContaining("not found") });
    expect(requestsFor(id)).toBe(1);
    expect(await storedRows([id])).toEqual([]);
    const result = await api.call("GET", `/v1/tasks/${body.task_id}/result`);
    expect(result.status).toBe(409);
  });

  it("refuses an unknown region, and batch input that is neither ids nor a player, with a 400 naming the field", async () => {
    type ErrorBody = { error: { code: string; details?: { fields?: { path: string; message: string }[] } } };
    const paths = (body: unknown) => (body as ErrorBody).error.details?.fields?.map((f) => f.path);
    const region = await api.submit("matches.fetch_and_store", { match_id: "NA1_1", region: "na2" });
    expect(region.status).toBe(400);
    expect(paths(region.body)).toEqual(["payload.region"]);
    expect((region.body as unknown as ErrorBody).error.details?.fields?.[0]?.message).toContain("euw1");

    const history = await api.submit("matches.fetch_history", { puuid: "p", region: "americas", count: 101 });
    expect(history.status).toBe(400);
    expect(paths(history.body)?.sort()).toEqual(["payload.count", "payload.region"]);

    const both = await api.submit("matches.batch_fetch", { match_ids: ["NA1_1"], puuid: "p", region: "na1" });
    expect(both.status).toBe(400);
    expect(paths(both.body)).toEqual(["payload.match_ids"]);
  });
});
