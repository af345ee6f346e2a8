// The fault controls a fault run (npm run faults) and users use: the Cloud Tasks
// emulator refusing CreateTask (through the real client), the webhook receiver
// failing and hanging (emulators/README.md, "Fault controls").
import { randomUUID } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { CloudTasksClient } from "@google-cloud/tasks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudTasksClientOptions, startCloudTasksEmulator, type CloudTasksEmulator } from "../../emulators/cloud-tasks/index.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../emulators/webhook-receiver/index.ts";
import { signatureHeader } from "../../functions/adapters/webhook/signature.ts";

const PARENT = "projects/faults/locations/us-central1";
let emulator: CloudTasksEmulator;
let client: CloudTasksClient;
let receiver: WebhookReceiver;
const secret = "fault-controls-secret";

beforeAll(async () => {
  emulator = await startCloudTasksEmulator();
  client = new CloudTasksClient(cloudTasksClientOptions(emulator.port));
  receiver = await startWebhookReceiver({ secret });
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
  await receiver?.close();
});

describe("Cloud Tasks: refuse CreateTask", () => {
  it("answers UNAVAILABLE for the time asked, then creates again; over HTTP too", async () => {
    const [queue] = await client.createQueue({ parent: PARENT, queue: { name: `${PARENT}/queues/q-${randomUUID()}`, state: "PAUSED" } });
    const create = () => client.createTask({ parent: queue.name!, task: { httpRequest: { url: "http://127.0.0.1:9/", httpMethod: "POST" } } }, { retry: null } as never);
    emulator.refuseCreateTask(0.5);
    await expect(create()).rejects.toMatchObject({ code: status.UNAVAILABLE });
    expect(emulator.refusals()).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 600));
    await expect(create()).resolves.toBeTruthy();

    const control = await fetch(`${emulator.controlUrl}/refuse-create-task`, { method: "POST", body: JSON.stringify({ seconds: 30 }) });
    expect(control.status).toBe(204);
    await expect(create()).rejects.toMatchObject({ code: status.UNAVAILABLE });
    expect((await fetch(`${emulator.controlUrl}/refuse-create-task`, { method: "POST", body: JSON.stringify({ seconds: 0 }) })).status).toBe(204);
    await expect(create()).resolves.toBeTruthy();
    expect((await fetch(`${emulator.controlUrl}/refuse-create-task`, { method: "POST", body: JSON.stringify({ seconds: "soon" }) })).status).toBe(400);
  });
});

describe("webhook receiver: fail and hang", () => {
  const post = (timeoutMs = 5000) => {
    const raw = JSON.stringify({ task_id: randomUUID() });
    return fetch(`${receiver.url}/callbacks`, {
      method: "POST", body: raw, headers: { "Content-Type": "application/json", "X-Signature": signatureHeader(secret, raw) }, signal: AbortSignal.timeout(timeoutMs),
    });
  };

  it("answers the status asked for a while, keeping nothing, then takes deliveries again", async () => {
    receiver.clear();
    expect((await fetch(`${receiver.url}/__control/fail`, { method: "POST", body: JSON.stringify({ status: 503, seconds: 0.5 }) })).status).toBe(204);
    expect((await post()).status).toBe(503);
    expect(receiver.received()).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 600));
    expect((await post()).status).toBe(204);
    expect(receiver.received()).toHaveLength(1);
  });

  it("holds requests past the sender's timeout, keeping nothing", async () => {
    receiver.clear();
    receiver.hangFor(1);
    await expect(post(300)).rejects.toThrow();
    expect(receiver.received()).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 800));
    expect((await post()).status).toBe(204);
  });

  it("refuses a control it does not have, or a bad body, naming the problem", async () => {
    const unknown = await fetch(`${receiver.url}/__control/explode`, { method: "POST", body: "{}" });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("fail and hang");
    const bad = await fetch(`${receiver.url}/__control/fail`, { method: "POST", body: JSON.stringify({ status: 200, seconds: 1 }) });
    expect(bad.status).toBe(400);
  });
});
