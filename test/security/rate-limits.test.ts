// A key's rate limit over HTTP: counted per key across submits, status polls (each counted inside its own
// Redis script) and every other route (counted before it); over it, 429 rate_limited with Retry-After,
// and a refused submit writes nothing.
import { describe, expect, inject, it } from "vitest";
import { KEYS } from "./global-setup.ts";

const { apiUrl, adminKey } = inject("security");

async function call(key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${apiUrl}${path}`, {
    method, headers: { "X-API-Key": key, ...(body ? { "Content-Type": "application/json" } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as Record<string, unknown> & { error?: { code: string; message: string; details?: { retry_after_seconds?: number } } } };
}

describe("rate limits", () => {
  it("counts submits, polls and other routes in one window per key; past it 429 with Retry-After, and nothing written", async () => {
    const key = KEYS.limitedDaily;
    const submit = () => call(key, "POST", "/v1/tasks", { type: "testing.noop", payload: {}, countdown: 600 });
    const first = await submit();
    expect(first.status).toBe(202);
    const id = String(first.body.task_id);
    const within = [await submit(), await call(key, "GET", `/v1/tasks/${id}`), await call(key, "GET", "/v1/tasks?limit=1"), await call(key, "GET", `/v1/tasks/${id}`)];
    expect(within.map((a) => a.status)).toEqual([202, 200, 200, 200]);

    const refused = [await submit(), await call(key, "GET", `/v1/tasks/${id}`), await call(key, "GET", "/v1/tasks?limit=1"), await call(key, "POST", `/v1/tasks/${id}/cancel`)];
    for (const answer of refused) {
      expect(answer.status).toBe(429);
      expect(answer.body.error?.code).toBe("rate_limited");
      expect(answer.body.error?.message).toContain("5/1d");
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      expect(answer.body.error?.details?.retry_after_seconds).toBe(Number(answer.retryAfter));
    }
    // The refused submit and cancel left nothing: two tasks, the first still SCHEDULED.
    const listed = await call(adminKey, "GET", "/v1/tasks?tenant=dave");
    expect((listed.body.tasks as { status: string }[]).map((t) => t.status)).toEqual(["SCHEDULED", "SCHEDULED"]);
    // Other keys are not held back.
    expect((await call(KEYS.aliceSubmit, "POST", "/v1/tasks", { type: "testing.noop", payload: {} })).status).toBe(202);
  });
});
