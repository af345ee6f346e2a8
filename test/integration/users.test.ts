// The user domain through HTTP: daily quotas charged at submit (429 over them,
// until a reset), statistics, tiers, and the batched reset of every user.
import { describe, expect, inject, it } from "vitest";
import { randomBytes } from "node:crypto";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";
import { redisBridge } from "../helpers/redis-bridge.ts";

const stack = inject("stack");
const api = apiClient(stack.apiUrl, stack.apiKey);
const redis = redisBridge(stack.bridgeUrl, stack.bridgeToken);
const unique = (name: string) => `${name}-${randomBytes(5).toString("hex")}`;
const quotaKey = (user: string) => `${stack.keyPrefix}:quota:${user}`;
const userKey = (user: string) => `${stack.keyPrefix}:user:${user}`;

type OverQuota = { error: { code: string; message: string; details: { user_id: string; limit: number; used: number; reset_at: string } } };

/** Submits a task and waits for its result. */
async function run<T = Record<string, unknown>>(type: string, payload: unknown): Promise<T> {
  const submitted = await api.submit(type, payload);
  expect(submitted.status).toBe(202);
  await api.waitFor(submitted.body.task_id, "SUCCESS", 60_000);
  const answer = await api.call<{ result: T }>("GET", `/v1/tasks/${submitted.body.task_id}/result`);
  return answer.body.result;
}

const charged = (user: string, payload: unknown = {}, type = "testing.noop") => api.submit(type, payload, { user_id: user });

describe("daily limits at submit", () => {
  it("refuses a user over the daily limit with 429 and reset_at, until user.reset_daily_limit runs", async () => {
    const user = unique("quota");
    // The free tier allows 50 a day.
    for (let i = 0; i < 5; i += 1) {
      const batch = await Promise.all(Array.from({ length: 10 }, () => charged(user)));
      expect(batch.map((a) => a.status)).toEqual(Array(10).fill(202));
    }
    const refused = await api.call<OverQuota>("POST", "/v1/tasks", { type: "testing.noop", payload: {}, user_id: user });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("over_quota");
    expect(refused.body.error.details).toMatchObject({ user_id: user, limit: 50, used: 50 });
    // QUOTA_TIME_ZONE defaults to UTC: the day ends at the next UTC midnight.
    const resetAt = Date.parse(refused.body.error.details.reset_at);
    expect(refused.body.error.details.reset_at).toMatch(/T00:00:00\.000Z$/);
    expect(resetAt).toBeGreaterThan(Date.now());
    expect(resetAt).toBeLessThanOrEqual(Date.now() + 24 * 3600 * 1000);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(Math.abs(retryAfter - (resetAt - Date.now()) / 1000)).toBeLessThan(60);
    // The counter itself expires at the reset, whether or not a reset task runs.
    const pttl = await redis.command<number>("PTTL", quotaKey(user));
    expect(Math.abs(Date.now() + pttl - resetAt)).toBeLessThan(60_000);
    // Refused again: refusals do not pile up on the count.
    expect((await charged(user)).status).toBe(429);

    const reset = await run<{ user_id: string; used_before: number }>("user.reset_daily_limit", { user_id: user });
    expect(reset).toEqual({ user_id: user, used_before: 50 });
    expect((await charged(user)).status).toBe(202);
  });

  it("charges nothing for a submit refused with 400", async () => {
    const user = unique("refused");
    // A tier with two submits a day, as calculate_tier would have set it.
    await redis.command("HSET", userKey(user), "daily_limit", 2);
    for (let i = 0; i < 3; i += 1) {
      const invalid = await api.call<{ error: { code: string; details: { fields: { path: string }[] } } }>("POST", "/v1/tasks", {
        type: "testing.sleep", payload: { seconds: 100 }, user_id: user,
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.details.fields.map((f) => f.path)).toContain("payload.seconds");
    }
    expect((await api.call("POST", "/v1/tasks", { type: "no.such_task", payload: {}, user_id: user })).status).toBe(400);
    expect((await api.call("POST", "/v1/tasks", { type: "testing.noop", payload: {}, user_id: user, countdown: -5 })).status).toBe(400);
    expect(await redis.command("GET", quotaKey(user))).toBeNull();
    expect((await charged(user)).status).toBe(202);
    expect((await charged(user)).status).toBe(202);
    const third = await api.call<OverQuota>("POST", "/v1/tasks", { type: "testing.noop", payload: {}, user_id: user });
    expect(third.status).toBe(429);
    expect(third.body.error.details).toMatchObject({ limit: 2, used: 2 });
  });

  it("refuses a malformed user_id with 400 naming the field", async () => {
    const answer = await api.call<{ error: { details: { fields: { path: string }[] } } }>("POST", "/v1/tasks", { type: "testing.noop", payload: {}, user_id: "" });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.fields.map((f) => f.path)).toContain("user_id");
  });

  it("does not charge a replay of the same idempotency key twice", async () => {
    const user = unique("replay");
    const key = unique("idem");
    const first = await api.submit("testing.noop", {}, { user_id: user, idempotency_key: key });
    const again = await api.submit("testing.noop", {}, { user_id: user, idempotency_key: key });
    expect(again.body.task_id).toBe(first.body.task_id);
    expect(await redis.command("GET", quotaKey(user))).toBe("1");
  });
});

describe("statistics and tiers", () => {
  it("accumulates usage with user.update_statistics", async () => {
    const user = unique("stats");
    const first = await run("user.update_statistics", { user_id: user, tokens_used: 100, processing_time_ms: 12.5 });
    expect(first).toEqual({ user_id: user, applied: true, queries: 1, tokens: 100, processing_ms: 12.5 });
    const second = await run("user.update_statistics", { user_id: user, tokens_used: 50, processing_time_ms: 7.5, queries: 2 });
    expect(second).toEqual({ user_id: user, applied: true, queries: 3, tokens: 150, processing_ms: 20 });
    expect(await redis.command<string[]>("HMGET", userKey(user), "queries", "tokens", "processing_ms")).toEqual(["3", "150", "20"]);
  });

  it("counts each query.completed event once in the user's totals", async () => {
    const user = unique("event");
    const published = await api.call("POST", "/v1/events/query.completed", {
      user_id: user, conversation_id: "c1", message_id: unique("m"), query: "Hội An ở đâu?", answer: "Quảng Nam", sources: [], tokens_used: 42, processing_time_ms: 900,
    });
    expect(published.status).toBe(202);
    await eventually(async () => {
      expect(await redis.command<string[]>("HMGET", userKey(user), "queries", "tokens")).toEqual(["1", "42"]);
    }, { timeoutMs: 30_000 });
  });

  it("moves a user to a higher tier with user.calculate_tier, and the new limit applies", async () => {
    const user = unique("tier");
    await run("user.update_statistics", { user_id: user, tokens_used: 10, processing_time_ms: 1, queries: 1000 });
    // At the free tier's 50 a day, a user who used 50 today is refused.
    await redis.command("SET", quotaKey(user), 50, "PX", 3_600_000);
    const before = await api.call<OverQuota>("POST", "/v1/tasks", { type: "testing.noop", payload: {}, user_id: user });
    expect(before.status).toBe(429);
    expect(before.body.error.details.limit).toBe(50);

    const tier = await run("user.calculate_tier", { user_id: user });
    expect(tier).toEqual({ user_id: user, tier: "pro", previous_tier: null, daily_limit: 500, queries: 1000, changed: true });
    expect((await charged(user)).status).toBe(202);
    await redis.command("SET", quotaKey(user), 500, "PX", 3_600_000);
    const after = await api.call<OverQuota>("POST", "/v1/tasks", { type: "testing.noop", payload: {}, user_id: user });
    expect(after.status).toBe(429);
    expect(after.body.error.details).toMatchObject({ limit: 500, used: 500 });

    expect(await run("user.calculate_tier", { user_id: user })).toMatchObject({ tier: "pro", previous_tier: "pro", changed: false });
  });

  it("keeps a new user in the base tier", async () => {
    const user = unique("newcomer");
    expect(await run("user.calculate_tier", { user_id: user })).toEqual({ user_id: user, tier: "free", previous_tier: null, daily_limit: 50, queries: 0, changed: true });
  });
});

describe("user.reset_all_daily_limits", () => {
  const seedCounters = async (users: string[]) => {
    await redis.pipeline(users.map((u) => ["SET", quotaKey(u), 7, "PX", 3_600_000]));
  };
  const remaining = async (users: string[]) =>
    (await redis.pipeline(users.map((u) => ["EXISTS", quotaKey(u)]))).reduce((sum: number, n) => sum + Number(n), 0);

  it("resets a few thousand users in several SCAN batches", async () => {
    const run_ = unique("bulk");
    const users = Array.from({ length: 3000 }, (_, i) => `${run_}-${i}`);
    await seedCounters(users);
    const limited = unique("limited");
    await redis.command("HSET", userKey(limited), "daily_limit", 1);
    await redis.command("SET", quotaKey(limited), 1, "PX", 3_600_000);
    expect((await charged(limited)).status).toBe(429);

    const result = await run<{ scanned: number; reset: number; batches: number; continued_as: string | null }>("user.reset_all_daily_limits", { batch_size: 500 });
    expect(result.continued_as).toBeNull();
    expect(result.reset).toBeGreaterThanOrEqual(3001);
    expect(result.scanned).toBeGreaterThanOrEqual(result.reset);
    expect(result.batches).toBeGreaterThan(1);
    expect(await remaining(users)).toBe(0);
    expect((await charged(limited)).status).toBe(202);
  });

  it("hands over to continuations at its time budget and still resets everyone", async () => {
    const users = Array.from({ length: 2000 }, (_, i) => `${unique("chain")}-${i}`);
    await seedCounters(users);
    const submitted = await api.submit("user.reset_all_daily_limits", { batch_size: 1000, budget_seconds: 0 });
    let id = submitted.body.task_id;
    const runs: { scanned: number; reset: number; batches: number; continued_as: string | null }[] = [];
    for (;;) {
      await api.waitFor(id, "SUCCESS", 60_000);
      const result = (await api.call<{ result: (typeof runs)[number] }>("GET", `/v1/tasks/${id}/result`)).body.result;
      runs.push(result);
      if (!result.continued_as) break;
      id = result.continued_as;
    }
    expect(runs.length).toBeGreaterThan(1);
    // Each run did one batch (a zero budget) and carried the counts of the runs before it.
    expect(runs.map((r) => r.batches)).toEqual(runs.map((_, i) => i + 1));
    expect(runs.at(-1)!.reset).toBeGreaterThanOrEqual(2000);
    expect(await remaining(users)).toBe(0);
  });
});
