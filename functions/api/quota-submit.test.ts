// Charging a daily quota unit at submit: refused submits cost nothing, submits
// that do not become tasks give the unit back, and an exhausted quota is a 429.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { submitCharged } from "./quota-submit.ts";
import { createRegistry } from "../core/registry.ts";
import { defineQueue } from "../core/queues.ts";
import { defineTask } from "../core/define-task.ts";
import { DependencyError, SubmissionError } from "../core/errors.ts";
import type { QuotaDecision, UserQuota } from "../tasks/users/ports.ts";
import type { SubmitRequest, SubmitResult } from "../core/submit.ts";
import { MemoryRateLimiter } from "../core/testing/memory-rate-limiter.ts";
import { RateLimitedError } from "../core/rate-limit.ts";

const registry = createRegistry({
  queues: [defineQueue({ name: "default" })],
  tasks: [defineTask({ name: "test.echo", queue: "default", input: z.strictObject({ n: z.number() }), output: z.unknown(), handler: async () => null })],
});

class CountingQuota implements UserQuota {
  used = 0;
  readonly limit: number;
  readonly resetAt = Date.parse("2030-01-02T00:00:00Z");
  constructor(limit: number) {
    this.limit = limit;
  }
  async consume(): Promise<QuotaDecision> {
    if (this.used >= this.limit) return { allowed: false, used: this.used, limit: this.limit, resetAt: this.resetAt };
    this.used += 1;
    return { allowed: true, used: this.used, limit: this.limit, resetAt: this.resetAt };
  }
  async refund(): Promise<void> {
    this.used = Math.max(0, this.used - 1);
  }
}

const log = { debug() {}, info() {}, warn() {}, error() {}, child: () => log };
const now = () => Date.parse("2030-01-01T23:00:00Z");

function deps(quota: UserQuota, submit: (r: SubmitRequest) => Promise<SubmitResult> = async () => ({ taskId: "t1", status: "PENDING", created: true })) {
  return { registry, quota, submit, log, now };
}

describe("submitCharged", () => {
  it("takes one unit per accepted submit", async () => {
    const quota = new CountingQuota(5);
    await submitCharged(deps(quota), { type: "test.echo", payload: { n: 1 } }, "u1");
    await submitCharged(deps(quota), { type: "test.echo", payload: { n: 2 } }, "u1");
    expect(quota.used).toBe(2);
  });

  it("refuses an invalid submit before any unit is taken", async () => {
    const quota = new CountingQuota(5);
    await expect(submitCharged(deps(quota), { type: "test.echo", payload: { n: "x" } }, "u1")).rejects.toMatchObject({ code: "invalid_payload" });
    await expect(submitCharged(deps(quota), { type: "nope", payload: {} }, "u1")).rejects.toMatchObject({ code: "unknown_type" });
    await expect(submitCharged(deps(quota), { type: "test.echo", payload: { n: 1 }, countdownSeconds: -1 }, "u1")).rejects.toMatchObject({ code: "invalid_schedule" });
    expect(quota.used).toBe(0);
  });

  it("answers over_quota with the limit, the count and the reset, and submits nothing", async () => {
    const quota = new CountingQuota(1);
    let submits = 0;
    const d = deps(quota, async () => { submits += 1; return { taskId: "t", status: "PENDING", created: true }; });
    await submitCharged(d, { type: "test.echo", payload: { n: 1 } }, "u1");
    const refused = await submitCharged(d, { type: "test.echo", payload: { n: 1 } }, "u1").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SubmissionError);
    expect(refused).toMatchObject({
      code: "over_quota",
      details: { user_id: "u1", limit: 1, used: 1, reset_at: "2030-01-02T00:00:00.000Z", retry_after_seconds: 3600 },
    });
    expect(submits).toBe(1);
  });

  it("gives the unit back when the task cannot be enqueued", async () => {
    const quota = new CountingQuota(5);
    const failing = deps(quota, async () => { throw new DependencyError("cloud-tasks", "unavailable"); });
    await expect(submitCharged(failing, { type: "test.echo", payload: { n: 1 } }, "u1")).rejects.toBeInstanceOf(DependencyError);
    expect(quota.used).toBe(0);
  });

  it("does not charge an idempotent replay twice", async () => {
    const quota = new CountingQuota(5);
    await submitCharged(deps(quota), { type: "test.echo", payload: { n: 1 }, idempotencyKey: "k" }, "u1");
    await submitCharged(deps(quota, async () => ({ taskId: "t1", status: "PENDING", created: false })), { type: "test.echo", payload: { n: 1 }, idempotencyKey: "k" }, "u1");
    expect(quota.used).toBe(1);
  });

  it("counts the caller's rate limit after validation and before the unit: over it, no unit is taken and nothing submitted", async () => {
    const quota = new CountingQuota(5);
    const limiter = new MemoryRateLimiter(now);
    const charge = { key: "k", limit: 1, windowMs: 60_000, label: "1/60s" };
    let submits = 0;
    const d = { ...deps(quota, async () => { submits += 1; return { taskId: "t", status: "PENDING" as const, created: true }; }), countRate: () => limiter.charge(charge) };
    await expect(submitCharged(d, { type: "test.echo", payload: { n: "x" } }, "u1")).rejects.toMatchObject({ code: "invalid_payload" });
    await submitCharged(d, { type: "test.echo", payload: { n: 1 } }, "u1");
    await expect(submitCharged(d, { type: "test.echo", payload: { n: 2 } }, "u1")).rejects.toBeInstanceOf(RateLimitedError);
    expect({ used: quota.used, submits }).toEqual({ used: 1, submits: 1 });
  });
});
