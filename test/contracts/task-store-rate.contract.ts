// The TaskStore contract, part five: an API key's rate limit counted inside the store's own call (submit and
// status), in the same counters as the standalone limiter: a sliding window (the previous fixed window weighted
// by what the sliding one still covers), and a refused request writes and counts nothing.
import { beforeEach, describe, expect, it } from "vitest";
import { RateLimitedError, type RateCharge } from "../../functions/core/rate-limit.ts";
import { QUEUE, taskOf, type MakeSubject, type TaskStoreSubject } from "./task-store-subject.ts";

const WINDOW = 60_000;

export function rateContract(make: MakeSubject): void {
  let s: TaskStoreSubject;
  let charge: RateCharge;
  beforeEach(async () => {
    s = await make({ queues: [QUEUE], tenants: ["acme"] });
    // At the start of a fixed window, so that the weighting below is exact.
    s.clock.now = Math.ceil(s.clock.now / WINDOW) * WINDOW + WINDOW;
    charge = { key: "limited", limit: 3, windowMs: WINDOW, label: "3/60s" };
  });

  async function refusal(attempt: Promise<unknown>): Promise<RateLimitedError> {
    const error = await attempt.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    return error as RateLimitedError;
  }

  describe("rate limits", () => {
    it("a submit over the limit is refused with the time to wait, and writes nothing", async () => {
      for (let i = 0; i < 3; i++) expect(await s.store.create(taskOf(s), undefined, charge)).toEqual({ created: true });
      s.clock.now += 15_000;
      const refused = taskOf(s);
      const error = await refusal(s.store.create(refused, undefined, charge));
      expect(error.retryAfterMs).toBe(WINDOW - 15_000);
      expect(error.message).toContain("3/60s");
      expect(await s.store.summary(refused.id)).toBeNull();
      expect((await s.store.list({ tenants: "*" }, 10)).tasks).toHaveLength(3);
      // Without a charge (another key, the platform's own submits) nothing is limited.
      expect(await s.store.create(taskOf(s))).toEqual({ created: true });
    });

    it("a status read counts in the same window as submits and the standalone limiter, and is refused at the limit", async () => {
      const task = taskOf(s);
      await s.store.create(task, undefined, charge);
      await s.rateLimiter.charge(charge);
      expect((await s.store.summary(task.id, charge))?.status).toBe("PENDING");
      expect((await refusal(s.store.summary(task.id, charge))).retryAfterMs).toBe(WINDOW);
      await refusal(s.rateLimiter.charge(charge));
      await refusal(s.store.create(taskOf(s), undefined, charge));
      // Another key has its own window; a missing task still counts (and reads null).
      const other = { ...charge, key: "other" };
      expect(await s.store.summary("no-such-task", other)).toBeNull();
    });

    it("slides: the previous window counts by the share of it the sliding window still covers", async () => {
      for (let i = 0; i < 3; i++) await s.rateLimiter.charge(charge);
      // The next window's first third: 3 × 2/3 = 2 of the previous still count, one more request fits.
      s.clock.now += WINDOW + WINDOW / 3;
      await s.rateLimiter.charge(charge);
      await refusal(s.store.create(taskOf(s), undefined, charge));
      // Just past two thirds: 3 × (1/3 - ε) rounds down to none of the previous; this window's one and two more.
      s.clock.now += WINDOW / 3 + 1;
      expect(await s.store.create(taskOf(s), undefined, charge)).toEqual({ created: true });
      expect(await s.store.summary("x", charge)).toBeNull();
      await refusal(s.store.summary("x", charge));
    });
  });
}
