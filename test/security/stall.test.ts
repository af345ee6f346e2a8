// A stalled dependency: redis-server stopped (SIGSTOP: connections stay open, nothing
// answers) for 30 s under a steady trickle of submits. Each submit answers within 3 s,
// 202 or 503 with Retry-After; every task answered 202 ends once Redis is back.
import { afterAll, describe, expect, inject, it } from "vitest";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";
import { KEYS } from "./global-setup.ts";

const { apiUrl, redisPid } = inject("security");

const STALL_MS = 30_000;
const SUBMITS_PER_SECOND = 2;
const ANSWER_WITHIN_MS = 3_000;
const FINAL = ["SUCCESS", "FAILURE", "REVOKED"];

interface Outcome { status: number; ms: number; taskId?: string; retryAfter: string | null; code?: string }

async function timedSubmit(n: number): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(`${apiUrl}/v1/tasks`, {
      method: "POST",
      headers: { "X-API-Key": KEYS.aliceSubmit, "Content-Type": "application/json" },
      body: JSON.stringify({ type: "testing.noop", payload: { n } }),
      // Far past the promise: a hang shows as a slow answer, not as a stuck test.
      signal: AbortSignal.timeout(20_000),
    });
    const body = (await response.json()) as { task_id?: string; error?: { code: string } };
    return {
      status: response.status, ms: performance.now() - started, retryAfter: response.headers.get("retry-after"),
      ...(body.task_id ? { taskId: body.task_id } : {}), ...(body.error ? { code: body.error.code } : {}),
    };
  } catch (error) {
    return { status: 0, ms: performance.now() - started, retryAfter: null, code: (error as Error).name };
  }
}

describe("a stalled Redis", () => {
  let stopped = false;
  const resume = () => {
    if (stopped) process.kill(redisPid, "SIGCONT");
    stopped = false;
  };
  afterAll(resume);

  it("answers every submit within 3 s (202 or 503 with Retry-After), and every accepted task ends once Redis is back", async () => {
    const submitter = apiClient(apiUrl, KEYS.aliceSubmit);
    expect((await submitter.submit("testing.noop", {})).status).toBe(202);

    const stalledAt = Date.now();
    process.kill(redisPid, "SIGSTOP");
    stopped = true;
    const pending: Promise<Outcome>[] = [];
    const stallEnds = Date.now() + STALL_MS;
    let n = 0;
    while (Date.now() < stallEnds) {
      pending.push(timedSubmit(n++));
      await new Promise((resolve) => setTimeout(resolve, 1000 / SUBMITS_PER_SECOND));
    }
    const during = await Promise.all(pending);
    resume();
    // A few more as Redis comes back.
    const after = await Promise.all([0, 1, 2, 3].map((i) => new Promise<Outcome>((resolve) => setTimeout(() => resolve(timedSubmit(1000 + i)), i * 250))));

    const outcomes = [...during, ...after];
    const report = outcomes.map((o) => `${o.status}${o.code ? `/${o.code}` : ""} in ${Math.round(o.ms)} ms`);
    for (const [i, outcome] of outcomes.entries()) {
      expect([202, 503], report[i]).toContain(outcome.status);
      expect(outcome.ms, report[i]).toBeLessThan(ANSWER_WITHIN_MS);
      if (outcome.status === 503) expect(outcome.retryAfter, report[i]).toMatch(/^\d+$/);
    }
    // The stall was real: submits that needed Redis while it was stopped were refused.
    expect(during.filter((o) => o.status === 503).length).toBeGreaterThan(during.length / 2);

    const accepted = outcomes.filter((o) => o.status === 202).map((o) => o.taskId!);
    expect(accepted.length).toBeGreaterThan(0);
    // Nothing half-written: no task exists that its submitter was told failed (a submit run late, after a 503).
    const created = await submitter.call<{ tasks: { task_id: string; created_at: string }[] }>("GET", "/v1/tasks?limit=500");
    const orphans = created.body.tasks.filter((t) => Date.parse(t.created_at) >= stalledAt && !accepted.includes(t.task_id));
    expect(orphans.map((t) => t.task_id)).toEqual([]);
    await eventually(async () => {
      const states = await Promise.all(accepted.map(async (id) => (await submitter.status(id)).body.status));
      const open = accepted.filter((_, i) => !FINAL.includes(states[i]!));
      if (open.length > 0) throw new Error(`${open.length} of ${accepted.length} accepted tasks not final: ${states.join(",")}`);
    }, { timeoutMs: 150_000, intervalMs: 1_000 });
  }, 240_000);
});
