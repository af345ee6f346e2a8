import { describe, expect, it } from "vitest";
import { RetryAfterError } from "../../core/errors.ts";
import { LimitGuard } from "./limit-guard.ts";

/** An in-memory stand-in for the shared key-value store. */
function memoryKv() {
  const values = new Map<string, unknown>();
  return {
    values,
    async get<T>(key: string) { return (values.get(key) as T | undefined) ?? null; },
    async set(key: string, value: unknown) { values.set(key, structuredClone(value)); return true; },
  };
}

function clock(start = 1_000_000) {
  let now = start;
  const slept: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => { now += ms; },
    slept,
    sleep: async (ms: number) => { slept.push(ms); now += ms; },
  };
}

const answer = (status: number, app: string, method = "0:10", extra: Record<string, string> = {}) => ({
  status,
  headers: new Headers({
    "X-App-Rate-Limit": "20:1,100:120",
    "X-App-Rate-Limit-Count": app,
    "X-Method-Rate-Limit": "500:10",
    "X-Method-Rate-Limit-Count": method,
    ...extra,
  }),
});

describe("LimitGuard", () => {
  it("lets requests through, then refuses with the time left in the window once 90% is used", async () => {
    const time = clock();
    const guard = new LimitGuard({ kv: () => null, fraction: 0.9, maxWaitMs: 2_000, now: time.now, sleep: time.sleep });
    const first = await guard.acquire("americas", "getMatch");
    await guard.release(first, answer(200, "1:1,1:120"));
    time.advance(30_000);
    const second = await guard.acquire("americas", "getMatch");
    await guard.release(second, answer(200, "1:1,90:120"));
    const refused = await guard.acquire("americas", "getMatch").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RetryAfterError);
    // The window was first seen 30 s ago: 90 s are left, at the latest.
    expect((refused as RetryAfterError).retryAfterSeconds).toBe(90);
    // Other routing values have limits of their own.
    await expect(guard.acquire("europe", "getMatch")).resolves.toEqual({ routing: "europe", method: "getMatch" });
  });

  it("waits in-process when the window reopens soon, instead of spending an attempt", async () => {
    const time = clock();
    const guard = new LimitGuard({ kv: () => null, fraction: 0.9, maxWaitMs: 2_000, now: time.now, sleep: time.sleep });
    const first = await guard.acquire("asia", "getMatch");
    await guard.release(first, answer(200, "1:1,1:120"));
    time.advance(300);
    const second = await guard.acquire("asia", "getMatch");
    await guard.release(second, answer(200, "18:1,18:120"));
    await guard.acquire("asia", "getMatch");
    // The 1 s window was first seen 300 ms ago.
    expect(time.slept).toEqual([700]);
  });

  it("waits in-process for maxWaitMs in all, even when the window fills again meanwhile", async () => {
    const time = clock();
    let refill: (() => Promise<void>) | undefined;
    const sleep = async (ms: number) => {
      await time.sleep(ms);
      const run = refill;
      refill = undefined;
      await run?.();
    };
    const guard = new LimitGuard({ kv: () => null, fraction: 0.9, maxWaitMs: 1_500, now: time.now, sleep });
    const first = await guard.acquire("asia", "getMatch");
    await guard.release(first, answer(200, "1:1,1:120"));
    time.advance(300);
    const [second, other] = [await guard.acquire("asia", "getMatch"), await guard.acquire("asia", "getMatch")];
    await guard.release(second, answer(200, "18:1,18:120"));
    // While this caller waits out the window, another request fills the next one.
    refill = () => guard.release(other, answer(200, "19:1,19:120"));
    const refused = await guard.acquire("asia", "getMatch").catch((e: unknown) => e);
    expect(time.slept).toEqual([700]);
    expect(refused).toBeInstanceOf(RetryAfterError);
    expect((refused as RetryAfterError).retryAfterSeconds).toBe(1);
  });

  it("counts in-flight requests, so concurrent callers stop at the threshold too", async () => {
    const time = clock();
    const guard = new LimitGuard({ kv: () => null, fraction: 0.9, maxWaitMs: 0, now: time.now, sleep: time.sleep });
    const ticket = await guard.acquire("sea", "getMatch");
    await guard.release(ticket, answer(200, "1:1,85:120"));
    const inFlight = await Promise.all([1, 2, 3, 4, 5].map(() => guard.acquire("sea", "getMatch")));
    await expect(guard.acquire("sea", "getMatch")).rejects.toBeInstanceOf(RetryAfterError);
    await guard.release(inFlight[0]!, null);
    await expect(guard.acquire("sea", "getMatch")).resolves.toBeDefined();
  });

  it("applies method limits per method", async () => {
    const time = clock();
    const guard = new LimitGuard({ kv: () => null, fraction: 0.9, maxWaitMs: 0, now: time.now, sleep: time.sleep });
    const ticket = await guard.acquire("americas", "getTimeline");
    await guard.release(ticket, answer(200, "1:1,1:120", "450:10"));
    await expect(guard.acquire("americas", "getTimeline")).rejects.toMatchObject({ retryAfterSeconds: 10 });
    await expect(guard.acquire("americas", "getMatch")).resolves.toBeDefined();
  });

  it("holds the routing value off for a 429's Retry-After, but not for a service 429", async () => {
    const time = clock();
    const guard = new LimitGuard({ kv: () => null, fraction: 0.9, maxWaitMs: 0, now: time.now, sleep: time.sleep });
    const service = await guard.acquire("europe", "getMatch");
    await guard.release(service, answer(429, "1:1,1:120", "0:10", { "Retry-After": "5", "X-Rate-Limit-Type": "service" }));
    await expect(guard.acquire("europe", "getMatch")).resolves.toBeDefined();
    const app = await guard.acquire("europe", "getMatch");
    await guard.release(app, answer(429, "1:1,2:120", "0:10", { "Retry-After": "7", "X-Rate-Limit-Type": "application" }));
    await expect(guard.acquire("europe", "getTimeline")).rejects.toMatchObject({ retryAfterSeconds: 7 });
  });

  it("shares windows through the key-value store: another instance holds off too", async () => {
    const time = clock();
    const kv = memoryKv();
    const a = new LimitGuard({ kv: () => kv, fraction: 0.9, maxWaitMs: 0, now: time.now, sleep: time.sleep });
    const b = new LimitGuard({ kv: () => kv, fraction: 0.9, maxWaitMs: 0, now: time.now, sleep: time.sleep });
    const ticket = await a.acquire("americas", "getMatch");
    await a.release(ticket, answer(200, "3:1,95:120"));
    expect(kv.values.has("game-api:rate-limits:americas")).toBe(true);
    await expect(b.acquire("americas", "getMatch")).rejects.toMatchObject({ retryAfterSeconds: 120 });
    time.advance(120_000);
    await expect(b.acquire("americas", "getMatch")).resolves.toBeDefined();
  });

  it("goes on alone when the shared store fails", async () => {
    const time = clock();
    const broken = { get: async () => { throw new Error("redis down"); }, set: async () => { throw new Error("redis down"); } };
    const guard = new LimitGuard({ kv: () => broken, fraction: 0.9, maxWaitMs: 0, now: time.now, sleep: time.sleep });
    const ticket = await guard.acquire("asia", "getMatch");
    await guard.release(ticket, answer(200, "1:1,1:120"));
    await expect(guard.acquire("asia", "getMatch")).resolves.toBeDefined();
  });
});
