// The outbox through the whole stack: a follow-up a worker recorded with a final
// state but never carried out (it died in between, simulated by writing what the
// finish script writes) is carried out by the task's redelivery or by the outbox
// sweep, and carrying it out again has no second effect (one callback per outcome,
// with its delivery id). The same every-minute sweep removes index entries whose record expired.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, TASKS_SERVICE_ACCOUNT, type Stack } from "../../emulators/stack.ts";
import { createOidcSigner } from "../../emulators/oidc.ts";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";
import { redisBridge } from "../helpers/redis-bridge.ts";

const PREFIX = "obx";
const signer = createOidcSigner();
let stack: Stack;
let api: ReturnType<typeof apiClient>;
let redis: ReturnType<typeof redisBridge>;

beforeAll(async () => {
  stack = await startStack({ signer, keyPrefix: PREFIX, logLevel: "warn", env: { LIFECYCLE_EVENTS: "off", OUTBOX_GRACE_SECONDS: "5" } });
  api = apiClient(stack.apiUrl, stack.apiKey);
  redis = redisBridge(stack.bridge.url, stack.bridge.token);
});
afterAll(async () => stack?.stop());

const callbacksFor = (taskId: string) => stack.receiver.received().filter((h) => h.path === "/callbacks" && (h.body as { task_id?: string }).task_id === taskId);

/** What FINISH writes for a task with a pending callback_url delivery, as if its worker died right after. */
async function leavePendingCallback(taskId: string): Promise<void> {
  const key = `${PREFIX}:task:${taskId}`;
  await redis.command("HSET", key, "callback", `${stack.receiver.url}/callbacks`, "outbox", "callback");
  await redis.command("ZADD", `${PREFIX}:outbox`, String(Date.now()), taskId);
}

const redeliver = (taskId: string) =>
  fetch(stack.workerUrl, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${signer.sign({ audience: stack.workerUrl, email: TASKS_SERVICE_ACCOUNT })}`,
      "X-CloudTasks-TaskName": taskId,
      "X-CloudTasks-TaskRetryCount": "1",
    },
    body: JSON.stringify({ v: 1, id: taskId, type: "testing.noop", payload: {} }),
  });

describe("the outbox", () => {
  it("a redelivery of a final task carries out the follow-up its worker left, once", async () => {
    const { body } = await api.submit("testing.noop", {});
    await api.waitFor(body.task_id, "SUCCESS");
    await leavePendingCallback(body.task_id);
    const answer = await redeliver(body.task_id);
    expect(answer.status).toBe(200);
    const hook = await eventually(async () => {
      const found = callbacksFor(body.task_id);
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    const run = await redis.command<string>("HGET", `${PREFIX}:task:${body.task_id}`, "run");
    // One callback task per outcome: its webhook-id (Standard Webhooks) is the delivery id receivers de-duplicate on.
    expect(hook.headers["webhook-id"]).toMatch(/^msg_/);
    expect(hook.body).toMatchObject({ type: "task.succeeded", event_id: `${body.task_id}.${run}` });
    expect(await redis.command("HGET", `${PREFIX}:task:${body.task_id}`, "outbox")).toBeNull();
    // Marking it done was lost (say): carried out again, the same delivery id makes no second callback.
    await leavePendingCallback(body.task_id);
    expect((await redeliver(body.task_id)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(callbacksFor(body.task_id)).toHaveLength(1);
  });

  it("the outbox sweep carries out follow-ups older than the grace period", async () => {
    const { body } = await api.submit("testing.noop", {});
    await api.waitFor(body.task_id, "SUCCESS");
    await leavePendingCallback(body.task_id);
    // Within the grace period the sweep leaves it to the worker.
    const early = await api.call<{ task_id: string }>("POST", "/v1/schedules/outbox_sweep/trigger", {});
    expect((await api.waitFor(early.body.task_id, "SUCCESS")).status).toBe("SUCCESS");
    expect(callbacksFor(body.task_id)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 5500));
    const sweep = await api.call<{ task_id: string }>("POST", "/v1/schedules/outbox_sweep/trigger", {});
    expect(sweep.status).toBe(202);
    await api.waitFor(sweep.body.task_id, "SUCCESS");
    const report = await api.call<{ result: { completed: number } }>("GET", `/v1/tasks/${sweep.body.task_id}/result`);
    expect(report.body.result.completed).toBeGreaterThanOrEqual(1);
    await eventually(async () => expect(callbacksFor(body.task_id)).toHaveLength(1));
    expect(await redis.command("ZSCORE", `${PREFIX}:outbox`, body.task_id)).toBeNull();
  }, 60_000);

  it("the same sweep removes the index entries whose record expired, and keeps a live task's", async () => {
    const { body } = await api.submit("testing.noop", {});
    await api.waitFor(body.task_id, "SUCCESS");
    const index = `${PREFIX}:idx:dev:default`;
    // A task of two hours ago whose record expired: its index entry is all that is left of it.
    await redis.command("ZADD", index, String(Date.now() - 2 * 3600_000), "expired-long-ago");
    const sweep = await api.call<{ task_id: string }>("POST", "/v1/schedules/outbox_sweep/trigger", {});
    await api.waitFor(sweep.body.task_id, "SUCCESS");
    const report = await api.call<{ result: { index_entries_removed: number } }>("GET", `/v1/tasks/${sweep.body.task_id}/result`);
    expect(report.body.result.index_entries_removed).toBeGreaterThanOrEqual(1);
    expect(await redis.command("ZSCORE", index, "expired-long-ago")).toBeNull();
    expect(await redis.command("ZSCORE", index, body.task_id)).not.toBeNull();
  }, 60_000);
});
