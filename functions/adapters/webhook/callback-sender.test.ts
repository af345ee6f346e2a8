// Callbacks: signed per tenant the Standard Webhooks way (checked against the
// reference library, standardwebhooks), never verifiable with the notification
// secret, the same webhook-id on every retry, and always through the outbound
// guard: a URL whose DNS now points inside is refused before connecting.
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { isNonRetryable } from "../../core/errors.ts";
import { OutboundGuard, type HopResponse, type ResolvedAddress, type Transport } from "../remote-files/outbound-guard.ts";
import { SignedCallbackSender } from "./callback-sender.ts";
import { callbackSecretFor } from "./callback-secret.ts";
import { WebhookNotifier } from "./notifier.ts";
import { verifySignature } from "./signature.ts";
import { standardWebhookHeaders, verifyStandardWebhook } from "./standard-webhooks.ts";

const SIGNING_KEY = "test-callback-signing-key-0123456789abcdef";
const PUBLIC: ResolvedAddress[] = [{ address: "93.184.216.34", family: 4 }];

function receiver(status = 204) {
  const requests: { url: string; pinned: ResolvedAddress[] | null; headers: Record<string, string>; body: string }[] = [];
  const transport: Transport = async (url, pinned, request) => {
    requests.push({ url: url.toString(), pinned, headers: request.headers, body: request.body ?? "" });
    const response: HopResponse = { status, header: () => undefined, body: (async function* () {})(), discard: () => undefined };
    return response;
  };
  return { transport, requests };
}

function sender(resolve: (host: string) => Promise<ResolvedAddress[]>, transport: Transport, signingKey: string | undefined = SIGNING_KEY) {
  return new SignedCallbackSender({ signingKey, guard: new OutboundGuard({ resolve, transport }), timeoutMs: 1_000 });
}

const delivery = { url: "https://hooks.example.com/cb", body: { type: "task.succeeded", task_id: "t1" }, tenant: "alice", id: "msg_cb-task-1" };

describe("callback secrets", () => {
  it("derives a whsec_ secret per tenant, different for each tenant and from the key", () => {
    const alice = callbackSecretFor(SIGNING_KEY, "alice");
    expect(alice).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(callbackSecretFor(SIGNING_KEY, "alice")).toBe(alice);
    expect(callbackSecretFor(SIGNING_KEY, "bob")).not.toBe(alice);
    expect(callbackSecretFor(`${SIGNING_KEY}x`, "alice")).not.toBe(alice);
  });

  it("signs what the Standard Webhooks reference library verifies, and verifies what it signs", () => {
    const secret = callbackSecretFor(SIGNING_KEY, "alice");
    const body = JSON.stringify({ type: "task.succeeded" });
    const headers = standardWebhookHeaders(secret, "msg_1", body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual({ type: "task.succeeded" });
    const theirs = new Webhook(secret).sign("msg_2", new Date(), body);
    expect(verifyStandardWebhook(secret, { "webhook-id": "msg_2", "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": theirs }, body)).toBe(true);
  });

  it("refuses a tampered body, another id, a stale timestamp and another tenant's secret", () => {
    const secret = callbackSecretFor(SIGNING_KEY, "alice");
    const now = Math.floor(Date.now() / 1000);
    const headers = { ...standardWebhookHeaders(secret, "msg_1", "{}", now) };
    expect(verifyStandardWebhook(secret, headers, "{}", 300, now)).toBe(true);
    expect(verifyStandardWebhook(secret, headers, "{ }", 300, now)).toBe(false);
    expect(verifyStandardWebhook(secret, { ...headers, "webhook-id": "msg_2" }, "{}", 300, now)).toBe(false);
    expect(verifyStandardWebhook(secret, headers, "{}", 300, now + 301)).toBe(false);
    expect(verifyStandardWebhook(callbackSecretFor(SIGNING_KEY, "bob"), headers, "{}", 300, now)).toBe(false);
  });
});

describe("SignedCallbackSender", () => {
  it("POSTs through the guard, pinned, with the Standard Webhooks headers of the tenant's secret", async () => {
    const { transport, requests } = receiver();
    await sender(async () => PUBLIC, transport).post(delivery);
    const [request] = requests;
    expect(request).toMatchObject({ url: delivery.url, pinned: PUBLIC });
    expect(request!.headers["webhook-id"]).toBe("msg_cb-task-1");
    expect(request!.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(request!.headers["x-signature"]).toBeUndefined();
    expect(new Webhook(callbackSecretFor(SIGNING_KEY, "alice")).verify(request!.body, request!.headers)).toEqual(delivery.body);
    expect(() => new Webhook(callbackSecretFor(SIGNING_KEY, "bob")).verify(request!.body, request!.headers)).toThrow();
  });

  it("cannot be passed off as a notification: the notification secret verifies nothing it sends", async () => {
    const notificationSecret = "notification-secret";
    const { transport, requests } = receiver();
    // Even a deployment that (wrongly) reused the notification secret as the signing key would not produce an X-Signature.
    await sender(async () => PUBLIC, transport, notificationSecret.padEnd(32, "x")).post(delivery);
    const { headers, body } = requests[0]!;
    const t = headers["webhook-timestamp"]!;
    const asNotification = `t=${t},v1=${Buffer.from(headers["webhook-signature"]!.slice(3), "base64").toString("hex")}`;
    expect(verifySignature(notificationSecret, body, asNotification)).toBe(false);
    expect(verifyStandardWebhook(`whsec_${Buffer.from(notificationSecret).toString("base64")}`, headers, body)).toBe(false);
  });

  it("sends the same webhook-id on every retry of one delivery, with a fresh timestamp each time", async () => {
    const { transport, requests } = receiver(503);
    const callbacks = sender(async () => PUBLIC, transport);
    await expect(callbacks.post(delivery)).rejects.toThrow(/answered 503/);
    await expect(callbacks.post(delivery)).rejects.toThrow(/answered 503/);
    expect(requests.map((r) => r.headers["webhook-id"])).toEqual(["msg_cb-task-1", "msg_cb-task-1"]);
  });

  it.each([
    ["127.0.0.1", "loopback"], ["169.254.169.254", "link-local"], ["10.0.0.8", "private"], ["::1", "loopback"], ["fc00::8", "unique-local"],
  ])("refuses, for good, a host that resolves to %s at delivery, and connects nowhere", async (address, kind) => {
    const { transport, requests } = receiver();
    const error = await sender(async () => [{ address, family: address.includes(":") ? 6 : 4 }], transport).post(delivery).catch((e: Error) => e);
    expect(isNonRetryable(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(kind));
    expect(requests).toEqual([]);
  });

  it("refuses credentials without echoing them", async () => {
    const { transport, requests } = receiver();
    const error = (await sender(async () => PUBLIC, transport).post({ ...delivery, url: "https://user:hunter2@hooks.example.com/cb?sig=abc" }).catch((e: Error) => e)) as Error;
    expect(isNonRetryable(error)).toBe(true);
    expect(error.message).not.toMatch(/hunter2|user|sig=abc/);
    expect(requests).toEqual([]);
  });

  it("fails for good, saying why, without CALLBACK_SIGNING_KEY", async () => {
    const { transport } = receiver();
    const unsigned = new SignedCallbackSender({ signingKey: undefined, guard: new OutboundGuard({ resolve: async () => PUBLIC, transport }), timeoutMs: 1_000 });
    const error = await Promise.resolve().then(() => unsigned.post(delivery)).catch((e: Error) => e);
    expect(isNonRetryable(error)).toBe(true);
    expect((error as Error).message).toMatch(/CALLBACK_SIGNING_KEY/);
  });

  it("does not follow a redirect", async () => {
    const { transport, requests } = receiver(302);
    const error = await sender(async () => PUBLIC, transport).post(delivery).catch((e: Error) => e);
    expect(isNonRetryable(error)).toBe(true);
    expect(requests).toHaveLength(1);
  });
});

describe("WebhookNotifier", () => {
  it("signs the event type and the delivery id inside the body (X-Signature), and repeats the id in X-Delivery-Id", async () => {
    const seen: { headers: Record<string, string>; body: string }[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (_url: URL, init: RequestInit) => {
      seen.push({ headers: init.headers as Record<string, string>, body: init.body as string });
      return new Response(null, { status: 204 });
    }) as typeof fetch;
    try {
      await new WebhookNotifier({ url: "http://10.0.0.1/notify", secret: "s3cret", timeoutMs: 1_000 }).send("system_notification", { a: 1 }, { id: "task-1" });
    } finally {
      globalThis.fetch = original;
    }
    const { headers, body } = seen[0]!;
    expect(verifySignature("s3cret", body, headers["X-Signature"]!)).toBe(true);
    expect(JSON.parse(body)).toMatchObject({ event: "system_notification", delivery_id: "task-1", data: { a: 1 } });
    expect(headers["X-Delivery-Id"]).toBe("task-1");
  });
});
