// Events on the official Pub/Sub emulator: publish → push → events function → tasks;
// lifecycle events, callbacks and dead letters.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { PubSub } from "@google-cloud/pubsub";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";

const stack = inject("stack");
const api = apiClient(stack.apiUrl, stack.apiKey);
let pubsub: PubSub;

type Hook = { path: string; body: { event?: string; type?: string; data?: Record<string, unknown>; task_id?: string; status?: string }; raw: string; signatureValid: boolean; headers: Record<string, string> };
const received = async () => (await (await fetch(`${stack.receiverUrl}/__received`)).json()) as Hook[];

/** Reads a subscription in short windows until a message satisfies `match` (acking what it reads). */
async function waitForMessage(subscription: string, match: (data: string) => boolean, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await new Promise<string | null>((resolve) => {
      const sub = pubsub.subscription(subscription);
      const done = (value: string | null) => {
        clearTimeout(timer);
        sub.removeAllListeners();
        void sub.close().finally(() => resolve(value));
      };
      // The emulator hands a dead-lettered message to a stream opened after it arrived: reopen often.
      const timer = setTimeout(() => done(null), 2000);
      sub.on("message", (message: { data: Buffer; ack(): void }) => {
        message.ack();
        if (match(message.data.toString())) done(message.data.toString());
      });
      sub.on("error", () => done(null));
    });
    if (found !== null) return found;
  }
  throw new Error(`no matching message on ${subscription} within ${timeoutMs} ms`);
}

beforeAll(() => {
  process.env.PUBSUB_EMULATOR_HOST = stack.pubsubHost;
  pubsub = new PubSub({ projectId: "local" });
});

const queryEvent = (messageId: string) => ({
  user_id: `user-${messageId}`, conversation_id: "conv-1", message_id: messageId, query: "Đà Nẵng có gì?", answer: "Biển Mỹ Khê",
  sources: ["doc-1"], tokens_used: 150, processing_time_ms: 1200,
});

describe("domain events", () => {
  it("turns query.completed into one notification and one statistics update", async () => {
    const messageId = `msg-${Date.now()}`;
    const published = await api.call<{ event_id: string; message_id: string }>("POST", "/v1/events/query.completed", queryEvent(messageId));
    expect(published.status).toBe(202);
    await eventually(async () => {
      const hooks = (await received()).filter((h) => h.body.data?.message_id === messageId);
      expect(hooks).toHaveLength(1);
      expect(hooks[0]!.body.event).toBe("query_result");
      expect(hooks[0]!.signatureValid).toBe(true);
    }, { timeoutMs: 20_000 });
    await eventually(async () => {
      const stats = await api.call<{ tasks: { status: string }[] }>("GET", `/v1/tasks?type=user.update_statistics&limit=500`);
      expect(stats.status).toBe(200);
      expect(stats.body.tasks.some((t) => t.status === "SUCCESS")).toBe(true);
    }, { timeoutMs: 20_000 });
  });

  it("starts no second task when the same event is published twice", async () => {
    const messageId = `twice-${Date.now()}`;
    const first = await api.call<{ event_id: string }>("POST", "/v1/events/query.completed", queryEvent(messageId));
    const second = await api.call<{ event_id: string }>("POST", "/v1/events/query.completed", queryEvent(messageId));
    expect(second.body.event_id).toBe(first.body.event_id);
    await eventually(async () => expect((await received()).filter((h) => h.body.data?.message_id === messageId)).toHaveLength(1), { timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 2000));
    expect((await received()).filter((h) => h.body.data?.message_id === messageId)).toHaveLength(1);
  });

  it("refuses an invalid event with 400 naming the field, and an unknown one with 404", async () => {
    const bad = await api.call<{ error: { details: { fields: { path: string }[] } } }>("POST", "/v1/events/query.completed", { ...queryEvent("x"), tokens_used: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f) => f.path)).toContain("data.tokens_used");
    expect((await api.call("POST", "/v1/events/no.such", {})).status).toBe(404);
  });

  it("sends an event the events function keeps failing on to the dead-letter topic", async () => {
    const marker = `poison-${Date.now()}`;
    await pubsub.topic("query-completed").publishMessage({ data: Buffer.from(JSON.stringify({ not: "valid", marker })), attributes: { type: "query.completed" } });
    expect(await waitForMessage("events-dead-letter-inspect", (data) => data.includes(marker), 50_000)).toContain(marker);
  }, 60_000);
});

describe("lifecycle", () => {
  it("POSTs the outcome to callback_url, signed the Standard Webhooks way with the tenant's callback secret", async () => {
    const { body } = await api.submit("testing.noop", { n: 7 }, { callback_url: `${stack.receiverUrl}/callbacks` });
    await api.waitFor(body.task_id, "SUCCESS");
    const hook = await eventually(async () => {
      const found = (await received()).find((h) => h.path === "/callbacks" && h.body.task_id === body.task_id);
      expect(found).toBeTruthy();
      return found!;
    });
    expect(hook.body).toMatchObject({ type: "task.succeeded", status: "SUCCESS", task_type: "testing.noop" });
    // The receiver verified it with a tenant's callback secret, never the notification secret.
    expect(hook).toMatchObject({ kind: "callback", signatureValid: true });
    expect(hook.headers["webhook-id"]).toMatch(/^msg_/);
    expect(hook.headers["x-signature"]).toBeUndefined();
  });

  it("publishes task.failed to the lifecycle and dead-letter topics", async () => {
    const { body } = await api.submit("testing.flaky", { failures: 0, non_retryable: true });
    await api.waitFor(body.task_id, "FAILURE");
    const dead = await waitForMessage("task-dead-letter-inspect", (data) => data.includes(body.task_id), 20_000);
    expect(JSON.parse(dead)).toMatchObject({ type: "task.failed", task_id: body.task_id, error: { type: "NonRetryableError" } });
  });
});
