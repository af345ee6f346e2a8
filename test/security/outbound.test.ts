// The outbound guard and callback signatures, through HTTP against the whole
// stack: a callback_url to anything non-public (any spelling, the stack's own
// services, a closed port) is 400 at submit; credentials in a URL are 400 and
// never echoed; a callback reaches only the allow-listed receiver, signed the
// Standard Webhooks way with a tenant's callback secret (never the notification
// secret), with one webhook-id across retries.
import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { apiClient, type ApiAnswer } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";
import { callbackSecretFor } from "../../functions/adapters/webhook/callback-secret.ts";
import { verifySignature } from "../../functions/adapters/webhook/signature.ts";
import type { ReceivedWebhook } from "../../emulators/webhook-receiver/index.ts";
import { KEYS } from "./global-setup.ts";

const { apiUrl, receiverUrl, bridgeUrl, workerUrl, webhookSecret, callbackSigningKey } = inject("security");
const alice = apiClient(apiUrl, KEYS.aliceSubmit);
type ErrorBody = { error: { code: string; message: string; details?: { fields?: { path: string; message: string }[] } } };

const received = async () => (await (await fetch(`${receiverUrl}/__received`)).json()) as ReceivedWebhook[];
const submitWithCallback = (callbackUrl: string) => alice.call<ErrorBody & { task_id?: string }>("POST", "/v1/tasks", { type: "testing.noop", payload: {}, callback_url: callbackUrl });

function expectRefusedField(answer: ApiAnswer<ErrorBody>, field: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.error.code).toBe("validation_failed");
  expect(answer.body.error.details?.fields?.map((f) => f.path)).toContain(field);
}

describe("callback_url is judged at submit", () => {
  const receiverPort = Number(new URL(receiverUrl).port);
  const port = (url: string) => new URL(url).port;
  const nonPublic = [
    `http://127.0.0.1:${receiverPort + 1}/`,
    `http://127.0.0.1:9/closed-port`,
    `http://localhost:${receiverPort}/callbacks`,
    `http://[::1]:${receiverPort}/callbacks`,
    `http://0.0.0.0:${receiverPort}/callbacks`,
    `http://2130706433:${receiverPort + 1}/`,
    `http://0177.0.0.1:${receiverPort + 1}/`,
    `http://0x7f.0.0.1:${receiverPort + 1}/`,
    `http://0x7f000001:${receiverPort + 1}/`,
    `http://[::ffff:127.0.0.1]:${receiverPort}/callbacks`,
    "https://127.0.0.1/",
    "https://localhost/",
    "https://[::1]/",
    "https://2130706433/",
    "https://0177.0.0.1/",
    "https://[::ffff:127.0.0.1]/",
    "https://169.254.169.254/computeMetadata/v1/",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://10.0.0.1/hook",
    "https://192.168.0.1/hook",
    "https://[fc00::1]/hook",
    `${bridgeUrl}/pipeline`, // the Upstash bridge
    `http://127.0.0.1:${port(bridgeUrl)}/`,
    workerUrl, // the worker
    `http://localhost:${port(workerUrl)}/`,
    `http://127.0.0.1:${port(apiUrl)}/v1/tasks`, // the api itself
  ];

  it.each(nonPublic)("refuses %s with 400 naming callback_url", async (url) => {
    expectRefusedField(await submitWithCallback(url), "callback_url");
  });

  it("accepts the allow-listed receiver's origin, and only that origin", async () => {
    const answer = await submitWithCallback(`${receiverUrl}/callbacks/accepted`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  });
});

describe("URLs with credentials", () => {
  const secret = `pw${randomUUID().slice(0, 8)}`;

  it.each([
    `https://user:${secret}@hooks.example.com/cb`,
    `https://${secret}@hooks.example.com/cb`,
    `http://user:${secret}@127.0.0.1:${new URL(receiverUrl).port}/callbacks`,
  ])("refuses callback_url %s and never echoes the credentials", async (url) => {
    const answer = await submitWithCallback(url);
    expectRefusedField(answer, "callback_url");
    expect(JSON.stringify(answer.body)).not.toContain(secret);
    expect(answer.body.error.message).toMatch(/credentials/);
  });

  it("refuses a media URL with credentials and never echoes them", async () => {
    const answer = await alice.call<ErrorBody>("POST", "/v1/tasks", { type: "media.background_removal", payload: { image: `https://user:${secret}@images.example.com/a.png` } });
    expectRefusedField(answer, "payload.image");
    expect(JSON.stringify(answer.body)).not.toContain(secret);
  });
});

describe("callbacks are signed with the tenant's callback secret", () => {
  // The callback task's tenant is the submitter's: never another tenant's, the platform's, or the notification secret.
  const CALLBACK_TENANTS = ["alice"];
  const verifiesWith = (hook: ReceivedWebhook, tenant: string) => {
    try {
      new Webhook(callbackSecretFor(callbackSigningKey, tenant)).verify(hook.raw, hook.headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  };
  const deliveriesTo = async (path: string, count: number) =>
    eventually(async () => {
      const hooks = (await received()).filter((h) => h.path === path);
      expect(hooks.length).toBeGreaterThanOrEqual(count);
      return hooks;
    }, { timeoutMs: 30_000, intervalMs: 100 });

  it("carries the Standard Webhooks headers, verifies with the tenant's secret, and not with the notification secret", async () => {
    const path = `/callbacks/${randomUUID()}`;
    const answer = await submitWithCallback(`${receiverUrl}${path}`);
    expect(answer.status).toBe(202);
    const [hook] = await deliveriesTo(path, 1);
    expect(hook!.headers["webhook-id"]).toMatch(/^msg_/);
    expect(hook!.headers["webhook-timestamp"]).toMatch(/^\d+$/);
    expect(hook!.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
    expect(hook!.body).toMatchObject({ type: "task.succeeded", task_id: answer.body.task_id });
    expect(CALLBACK_TENANTS.filter((tenant) => verifiesWith(hook!, tenant))).toHaveLength(1);
    expect(verifiesWith(hook!, "bob")).toBe(false);
    expect(verifiesWith(hook!, "_system")).toBe(false);
    // The tenant reads its own secret from the API, and it is the one that verifies.
    const secret = await alice.call<{ tenant: string; secret: string }>("GET", "/v1/callbacks/secret");
    expect(secret.body.tenant).toBe("alice");
    expect(() => new Webhook(secret.body.secret).verify(hook!.raw, hook!.headers as Record<string, string>)).not.toThrow();
    expect(hook!.headers["x-signature"]).toBeUndefined();
    expect(() => new Webhook(`whsec_${Buffer.from(webhookSecret).toString("base64")}`).verify(hook!.raw, hook!.headers as Record<string, string>)).toThrow();
    expect(hook).toMatchObject({ kind: "callback", signatureValid: true });
  });

  it("keeps the same webhook-id when a delivery is retried", async () => {
    const path = `/callbacks/${randomUUID()}`;
    await fetch(`${receiverUrl}/__control/fail`, { method: "POST", body: JSON.stringify({ status: 500, times: 1, path }) });
    expect((await submitWithCallback(`${receiverUrl}${path}`)).status).toBe(202);
    const hooks = await deliveriesTo(path, 1);
    // The first attempt was answered 500 before it was recorded; the retry is what arrived.
    const all = await eventually(async () => {
      const attempts = await callbackAttempts(path);
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      return attempts;
    }, { timeoutMs: 30_000, intervalMs: 100 });
    expect(new Set(all.map((a) => a.id)).size).toBe(1);
    expect(all[0]!.id).toBe(hooks[0]!.headers["webhook-id"]);
  });

  it("cannot be passed off as a notification: a callback to the notification path does not verify as one", async () => {
    const marker = randomUUID();
    const path = `/notifications?m=${marker}`;
    const answer = await submitWithCallback(`${receiverUrl}${path}`);
    expect(answer.status).toBe(202);
    const [hook] = await deliveriesTo(path, 1);
    expect(hook!.kind).toBe("callback");
    expect(typeof hook!.headers["x-signature"] === "string" && verifySignature(webhookSecret, hook!.raw, hook!.headers["x-signature"])).toBe(false);
  });
});

/** Every attempt the receiver saw at `path`, failed ones included (GET /__attempts). */
async function callbackAttempts(path: string): Promise<{ id: string; status: number }[]> {
  const attempts = (await (await fetch(`${receiverUrl}/__attempts`)).json()) as { path: string; id: string; status: number }[];
  return attempts.filter((a) => a.path === path);
}
