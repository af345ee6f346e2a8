// End to end through HTTP only: submit → Cloud Tasks emulator → worker → Redis → poll.
import { describe, expect, inject, it } from "vitest";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";

const stack = inject("stack");
const api = apiClient(stack.apiUrl, stack.apiKey);

const received = async () => (await (await fetch(`${stack.receiverUrl}/__received`)).json()) as { body: { event: string; data: Record<string, unknown> }; signatureValid: boolean; headers: Record<string, string> }[];

describe("a task's life", () => {
  it("runs notify.system PENDING → STARTED → SUCCESS and delivers a signed webhook", async () => {
    const marker = `hello-${Date.now()}`;
    const submitted = await api.submit("notify.system", { notification_type: "info", title: "Hi", message: marker, user_ids: ["u1"] });
    expect(submitted.status).toBe(202);
    expect(submitted.body.status).toBe("PENDING");
    expect(submitted.body.poll_url).toBe(`${stack.apiUrl}/v1/tasks/${submitted.body.task_id}`);
    const done = await api.waitFor(submitted.body.task_id, "SUCCESS");
    expect(done.seen.at(-1)).toBe("SUCCESS");
    expect(done.attempts).toBe(1);
    expect(done.progress).toBe(100);
    const hooks = (await received()).filter((h) => h.body.data?.message === marker);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.signatureValid).toBe(true);
    expect(hooks[0]!.headers["x-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(hooks[0]!.body.event).toBe("system_notification");
    const result = await api.call<{ status: string; result: { delivered: boolean; status_code: number } }>("GET", `/v1/tasks/${submitted.body.task_id}/result`);
    expect(result.status).toBe(200);
    expect(result.body.result).toEqual({ delivered: true, event: "system_notification", status_code: 204 });
  });

  it("shows STARTED with progress while a task runs, and 202 on its result meanwhile", async () => {
    const { body } = await api.submit("testing.sleep", { seconds: 1.5 });
    const started = await api.waitFor(body.task_id, "STARTED");
    expect(started.seen).toContain("STARTED");
    const pending = await api.call("GET", `/v1/tasks/${body.task_id}/result`);
    expect(pending.status).toBe(202);
    await eventually(async () => expect((await api.status(body.task_id)).body.progress).toBeGreaterThan(0));
    await api.waitFor(body.task_id, "SUCCESS");
  });

  it("retries a failing task and then succeeds", async () => {
    const { body } = await api.submit("testing.flaky", { failures: 1 });
    const done = await api.waitFor(body.task_id, "SUCCESS");
    expect(done.attempts).toBe(2);
  });

  it("ends FAILURE once the attempts run out, and the result answers 409", async () => {
    const { body } = await api.submit("testing.flaky", { failures: 5 });
    const failed = await api.waitFor(body.task_id, "FAILURE");
    expect(failed.attempts).toBe(3);
    expect(failed.error).toMatchObject({ type: "Error" });
    const result = await api.call<{ error: { code: string; details: { status: string } } }>("GET", `/v1/tasks/${body.task_id}/result`);
    expect(result.status).toBe(409);
    expect(result.body.error.details.status).toBe("FAILURE");
    const listed = await api.call<{ tasks: { task_id: string }[] }>("GET", "/v1/tasks?status=FAILURE&limit=100");
    expect(listed.body.tasks.map((t) => t.task_id)).toContain(body.task_id);
  });

  it("ends FAILURE at once on a non-retryable error", async () => {
    const { body } = await api.submit("testing.flaky", { failures: 0, non_retryable: true });
    const failed = await api.waitFor(body.task_id, "FAILURE");
    expect(failed.attempts).toBe(1);
    expect(failed.error).toMatchObject({ type: "NonRetryableError", message: "asked to fail for good" });
  });

  it("redrives a FAILURE with POST /retry", async () => {
    const { body } = await api.submit("testing.flaky", { failures: 0, non_retryable: true });
    const first = await api.waitFor(body.task_id, "FAILURE");
    const firstFinished = String((first as Record<string, unknown>).finished_at);
    const retried = await api.call("POST", `/v1/tasks/${body.task_id}/retry`);
    expect(retried.status).toBe(202);
    // It fails again (the payload says so), but it ran again: a fresh attempt 1 that finished later.
    await eventually(async () => {
      const s = await api.status(body.task_id);
      expect(s.body.status).toBe("FAILURE");
      expect(s.body.attempts).toBe(1);
      expect(s.body.message).toBe("failed");
      expect(Date.parse(String(s.body.finished_at))).toBeGreaterThan(Date.parse(firstFinished));
    });
    const again = await api.call("POST", `/v1/tasks/${body.task_id}/retry`);
    expect(again.status).toBe(202);
    const notFailed = await api.submit("testing.noop", {});
    await api.waitFor(notFailed.body.task_id, "SUCCESS");
    const refused = await api.call<{ error: { code: string } }>("POST", `/v1/tasks/${notFailed.body.task_id}/retry`);
    expect(refused.status).toBe(409);
  });

  it("revokes a queued task: SCHEDULED → REVOKED, and it never runs", async () => {
    const marker = `never-${Date.now()}`;
    const { body } = await api.submit("notify.system", { notification_type: "info", title: "x", message: marker }, { countdown: 3 });
    expect(body.status).toBe("SCHEDULED");
    const cancelled = await api.call<{ status: string; cloud_task_deleted: boolean }>("POST", `/v1/tasks/${body.task_id}/cancel`, {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "REVOKED", cloud_task_deleted: true });
    await new Promise((r) => setTimeout(r, 3500));
    expect((await api.status(body.task_id)).body.status).toBe("REVOKED");
    expect((await received()).filter((h) => h.body.data?.message === marker)).toHaveLength(0);
    const result = await api.call("GET", `/v1/tasks/${body.task_id}/result`);
    expect(result.status).toBe(409);
  });

  it("aborts a running task on cancel with terminate, ending REVOKED", async () => {
    const { body } = await api.submit("testing.sleep", { seconds: 6 });
    await api.waitFor(body.task_id, "STARTED");
    const refused = await api.call<{ error: { message: string } }>("POST", `/v1/tasks/${body.task_id}/cancel`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain("terminate");
    const cancelled = await api.call("POST", `/v1/tasks/${body.task_id}/cancel`, { terminate: true });
    expect(cancelled.status).toBe(202);
    const revoked = await api.waitFor(body.task_id, "REVOKED", 5_000);
    expect(revoked.progress).toBeLessThan(100);
  });

  it("gives the same task for the same idempotency key, and runs it once", async () => {
    const key = `idem-${Date.now()}`;
    const marker = `once-${key}`;
    const payload = { notification_type: "info", title: "once", message: marker };
    const first = await api.submit("notify.system", payload, {}, { "Idempotency-Key": key });
    const second = await api.submit("notify.system", payload, { idempotency_key: key });
    expect(second.body.task_id).toBe(first.body.task_id);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    await api.waitFor(first.body.task_id, "SUCCESS");
    const third = await api.submit("notify.system", payload, {}, { "Idempotency-Key": key });
    expect(third.body.task_id).toBe(first.body.task_id);
    expect(third.body.status).toBe("SUCCESS");
    await new Promise((r) => setTimeout(r, 300));
    expect((await received()).filter((h) => h.body.data?.message === marker)).toHaveLength(1);
  });

  it("routes priority high to the queue's twin and lists by queue and type", async () => {
    const { body } = await api.submit("testing.noop", {}, { priority: "high" });
    await api.waitFor(body.task_id, "SUCCESS");
    const byType = await api.call<{ tasks: { task_id: string; priority: string }[] }>("GET", "/v1/tasks?type=testing.noop&queue=default&limit=500");
    expect(byType.body.tasks.find((t) => t.task_id === body.task_id)?.priority).toBe("high");
  });

  it("reports queues and live workers", async () => {
    const { body } = await api.submit("testing.noop", {});
    await api.waitFor(body.task_id, "SUCCESS");
    const queues = await api.call<{ queues: { name: string; state: string; counts: { totals: Record<string, number> } }[] }>("GET", "/v1/queues");
    const defaultQueue = queues.body.queues.find((q) => q.name === "default");
    expect(defaultQueue?.state).toBe("RUNNING");
    expect(defaultQueue?.counts.totals.SUCCESS).toBeGreaterThan(0);
    const workers = await api.call<{ workers: { instance: string }[]; total_workers: number }>("GET", "/v1/workers");
    expect(workers.body.total_workers).toBeGreaterThan(0);
  });

  it("pauses and resumes a queue: nothing runs while paused", async () => {
    expect((await api.call("POST", "/v1/queues/default/pause")).status).toBe(200);
    const { body } = await api.submit("testing.noop", {});
    await new Promise((r) => setTimeout(r, 1000));
    expect((await api.status(body.task_id)).body.status).toBe("PENDING");
    const queues = await api.call<{ queues: { name: string; state: string }[] }>("GET", "/v1/queues");
    expect(queues.body.queues.find((q) => q.name === "default")?.state).toBe("PAUSED");
    expect((await api.call("POST", "/v1/queues/default/resume")).status).toBe(200);
    await api.waitFor(body.task_id, "SUCCESS");
  });

  it("encrypts sensitive fields at rest and returns them decrypted", async () => {
    const { body } = await api.submit("notify.query_result", {
      user_id: "u1", conversation_id: "c1", message_id: "m1", query: "secret question", answer: "secret answer",
      sources: ["s1"], tokens_used: 10, processing_time_ms: 5,
    });
    await api.waitFor(body.task_id, "SUCCESS");
    const raw = await fetch(stack.bridgeUrl, {
      method: "POST",
      headers: { Authorization: `Bearer ${stack.bridgeToken}` },
      body: JSON.stringify(["KEYS", `*:task:${body.task_id}`]),
    }).then((r) => r.json() as Promise<{ result: string[] }>);
    const key = raw.result[0]!;
    const payload = await fetch(stack.bridgeUrl, {
      method: "POST",
      headers: { Authorization: `Bearer ${stack.bridgeToken}` },
      body: JSON.stringify(["HGET", key, "payload"]),
    }).then((r) => r.json() as Promise<{ result: string }>);
    expect(payload.result).not.toContain("secret question");
    expect(payload.result).toContain("$enc");
    const hook = (await received()).find((h) => h.body.data?.task_id === body.task_id);
    expect(hook?.body.data?.query).toBe("secret question");
  });
});
