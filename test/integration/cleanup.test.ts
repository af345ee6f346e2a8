// The cleanup tasks through HTTP, on data seeded the way other systems write it
// (cache entries, conversations) and on failed tasks: the counts they report and
// what they leave behind.
import { describe, expect, inject, it } from "vitest";
import { randomBytes } from "node:crypto";
import { Storage } from "@google-cloud/storage";
import { apiClient } from "../helpers/api-client.ts";
import { redisBridge } from "../helpers/redis-bridge.ts";

const stack = inject("stack");
const api = apiClient(stack.apiUrl, stack.apiKey);
const redis = redisBridge(stack.bridgeUrl, stack.bridgeToken);
const unique = (name: string) => `${name}-${randomBytes(5).toString("hex")}`;
const key = (rest: string) => `${stack.keyPrefix}:${rest}`;
const DAY = 24 * 3600 * 1000;

async function run<T = Record<string, unknown>>(type: string, payload: unknown): Promise<T> {
  const submitted = await api.submit(type, payload);
  expect(submitted.status).toBe(202);
  await api.waitFor(submitted.body.task_id, "SUCCESS", 60_000);
  return (await api.call<{ result: T }>("GET", `/v1/tasks/${submitted.body.task_id}/result`)).body.result;
}

describe("cleanup.query_cache", () => {
  it("removes query-cache entries older than `days` and strays without the layout or a TTL", async () => {
    const now = Date.now();
    const entry = (createdAt: number) => JSON.stringify({ result: { answer: "Phở", sources: ["s1"] }, created_at: createdAt });
    const k = (name: string) => key(`cache:query:${unique(name)}`);
    const keys = { old: k("old"), oldWithTtl: k("old-ttl"), fresh: k("fresh"), stray: k("stray"), strayWithTtl: k("stray-ttl") };
    await redis.pipeline([
      ["SET", keys.old, entry(now - 40 * DAY)],
      ["SET", keys.oldWithTtl, entry(now - 31 * DAY), "EX", 3600],
      ["SET", keys.fresh, entry(now - 29 * DAY)],
      ["SET", keys.stray, "not the layout"],
      ["SET", keys.strayWithTtl, "not the layout either", "EX", 3600],
    ]);
    const result = await run("cleanup.query_cache", { days: 30 });
    expect(result).toEqual({ scanned: 5, removed: 3, malformed: 1, batches: expect.any(Number) as number, continued_as: null });
    const exists = await redis.pipeline(Object.values(keys).map((k) => ["EXISTS", k]));
    expect(Object.fromEntries(Object.keys(keys).map((name, i) => [name, exists[i]]))).toEqual({ old: 0, oldWithTtl: 0, fresh: 1, stray: 0, strayWithTtl: 1 });
    await redis.command("DEL", keys.fresh, keys.strayWithTtl);
  });
});

describe("cleanup.cache", () => {
  it("removes entries past their age and gives keys without a TTL one, leaving the query namespace alone", async () => {
    const now = Date.now();
    const k = (name: string) => key(`cache:session:${unique(name)}`);
    const keys = { pastAge: k("past-age"), noTtl: k("no-ttl"), opaque: k("opaque"), healthy: k("healthy"), hash: k("hash") };
    const query = key(`cache:query:${unique("untouched")}`);
    await redis.pipeline([
      // A TTL too long for its age: past the day a cache entry may live.
      ["SET", keys.pastAge, JSON.stringify({ messages: [], created_at: now - 2 * DAY }), "EX", 10 * 24 * 3600],
      ["SET", keys.noTtl, JSON.stringify({ messages: [], created_at: now - 3600 * 1000 })],
      ["SET", keys.opaque, "plain text, no age"],
      ["SET", keys.healthy, JSON.stringify({ created_at: now }), "EX", 60],
      ["HSET", keys.hash, "a", "1"],
      ["SET", query, JSON.stringify({ result: 1, created_at: now - 2 * DAY })],
    ]);
    const result = await run("cleanup.cache", {});
    expect(result).toEqual({ scanned: 5, removed: 1, ttl_given: 3, batches: expect.any(Number) as number, continued_as: null });
    const ttl = async (k: string) => redis.command<number>("PTTL", k);
    expect(await ttl(keys.pastAge)).toBe(-2);
    // What remains of its day: 23 hours.
    expect(Math.abs((await ttl(keys.noTtl)) - 23 * 3600 * 1000)).toBeLessThan(60_000);
    expect(Math.abs((await ttl(keys.opaque)) - 24 * 3600 * 1000)).toBeLessThan(60_000);
    expect(await ttl(keys.hash)).toBeGreaterThan(23 * 3600 * 1000);
    expect(await ttl(keys.healthy)).toBeLessThanOrEqual(60_000);
    expect(await ttl(query)).toBe(-1);
    await redis.command("DEL", query, ...Object.values(keys));
  });
});

describe("cleanup.conversations", () => {
  it("archives idle conversations to Cloud Storage as JSON lines, then deletes them", async () => {
    const now = Date.now();
    const run_ = unique("conv");
    const old = Array.from({ length: 5 }, (_, i) => ({
      id: `${run_}-old-${i}`, user_id: "u1", updated_at: now - 100 * DAY, messages: [{ role: "user", text: `Đi đâu ở Huế? ${i}` }, { role: "assistant", text: "Đại Nội" }],
    }));
    const oldIso = { id: `${run_}-old-iso`, user_id: "u2", updated_at: new Date(now - 91 * DAY).toISOString(), messages: [] };
    const recent = { id: `${run_}-recent`, user_id: "u1", updated_at: now - 89 * DAY, messages: [] };
    const broken = `${run_}-broken`;
    await redis.pipeline([
      ...[...old, oldIso, recent].map((c) => ["SET", key(`conversation:${c.id}`), JSON.stringify(c)]),
      ["SET", key(`conversation:${broken}`), "{truncated"],
    ]);
    const result = await run<{ scanned: number; archived: number; removed: number; unreadable: number; parts: number; part_uris: string[]; continued_as: null }>(
      "cleanup.conversations", { days: 90, batch_size: 20 },
    );
    expect(result).toMatchObject({ scanned: 8, archived: 6, removed: 6, unreadable: 1, continued_as: null });
    expect(result.part_uris).toHaveLength(result.parts);

    // Read the archive back from the Cloud Storage emulator with the real client.
    const bucket = new Storage({ apiEndpoint: stack.gcsUrl, projectId: "local" }).bucket(stack.gcsBucket);
    const lines: { conversation_id: string; updated_at: string; conversation: Record<string, unknown> }[] = [];
    for (const uri of result.part_uris) {
      const path = uri.replace(`gs://${stack.gcsBucket}/`, "");
      expect(path).toMatch(/^archive\/conversations\/\d{4}-\d{2}-\d{2}\/part-\d{5}-[0-9a-f]{12}\.jsonl$/);
      const [data] = await bucket.file(path).download();
      lines.push(...data.toString("utf8").trim().split("\n").map((line) => JSON.parse(line) as (typeof lines)[number]));
    }
    expect(lines.map((l) => l.conversation_id).sort()).toEqual([...old.map((c) => c.id), oldIso.id].sort());
    expect(lines.find((l) => l.conversation_id === old[3]!.id)!.conversation).toEqual(old[3]);
    expect(lines.find((l) => l.conversation_id === oldIso.id)!.updated_at).toBe(oldIso.updated_at);

    const exists = await redis.pipeline([...old, oldIso, recent].map((c) => ["EXISTS", key(`conversation:${c.id}`)]));
    expect(exists).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(await redis.command("EXISTS", key(`conversation:${broken}`))).toBe(1);
    await redis.command("DEL", key(`conversation:${recent.id}`), key(`conversation:${broken}`));
  });
});

describe("cleanup.failed_tasks", () => {
  it("removes FAILURE records older than `days` from the dead-letter index and Redis, and keeps recent ones", async () => {
    const recent = await api.submit("testing.flaky", { failures: 0, non_retryable: true });
    await api.waitFor(recent.body.task_id, "FAILURE");

    const finishedAt = Date.now() - 10 * DAY;
    const oldIds = Array.from({ length: 3 }, () => unique("old-failure"));
    const redriven = unique("redriven");
    const expired = unique("expired");
    await redis.pipeline([
      ...oldIds.flatMap((id) => [
        ["HSET", key(`task:${id}`), "tenant", "dev", "type", "testing.flaky", "queue", "default", "status", "FAILURE", "created_at", finishedAt - 1000, "finished_at", finishedAt],
        ["ZADD", key("idx:dev:default"), finishedAt - 1000, id],
        ["ZADD", key("failed"), finishedAt, id],
      ]),
      // Redriven since (no longer FAILURE) but its dead-letter entry lingered; and one whose record expired.
      ["HSET", key(`task:${redriven}`), "type", "testing.flaky", "queue", "default", "status", "PENDING", "created_at", finishedAt],
      ["ZADD", key("failed"), finishedAt, redriven],
      ["ZADD", key("failed"), finishedAt, expired],
    ]);

    const result = await run("cleanup.failed_tasks", { days: 7, batch_size: 2 });
    expect(result).toEqual({ scanned: 5, removed: 3, stale_entries: 2, batches: 3, continued_as: null });

    const after = await redis.pipeline([
      ...oldIds.map((id) => ["EXISTS", key(`task:${id}`)]),
      ...[...oldIds, redriven, expired].map((id) => ["ZSCORE", key("failed"), id]),
      ...oldIds.map((id) => ["ZSCORE", key("idx:dev:default"), id]),
      ["HGET", key(`task:${redriven}`), "status"],
    ]);
    expect(after).toEqual([0, 0, 0, null, null, null, null, null, null, null, null, "PENDING"]);
    expect((await api.status(recent.body.task_id)).body.status).toBe("FAILURE");
    const failures = await api.call<{ tasks: { task_id: string }[] }>("GET", "/v1/tasks?status=FAILURE&limit=500");
    expect(failures.body.tasks.map((t) => t.task_id)).toContain(recent.body.task_id);
    await redis.command("DEL", key(`task:${redriven}`));
  });
});
