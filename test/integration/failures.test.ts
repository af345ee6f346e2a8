// The platform under failure, on a stack of its own: duplicate deliveries, a
// worker killed mid-task, Redis unreachable at submit and at the worker.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudTasksClient } from "@google-cloud/tasks";
import { startStack, TASKS_SERVICE_ACCOUNT, type Stack } from "../../emulators/stack.ts";
import { cloudTasksClientOptions } from "../../emulators/cloud-tasks/index.ts";
import { createOidcSigner } from "../../emulators/oidc.ts";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";

const signer = createOidcSigner();
let stack: Stack;
let api: ReturnType<typeof apiClient>;
let tasks: CloudTasksClient;
const queuePath = (q: string) => `projects/local/locations/us-central1/queues/${q}`;

beforeAll(async () => {
  stack = await startStack({ signer, keyPrefix: "fail", logLevel: "warn" });
  api = apiClient(stack.apiUrl, stack.apiKey);
  tasks = new CloudTasksClient(cloudTasksClientOptions(Number(stack.cloudTasks.endpoint.split(":")[1])));
});

afterAll(async () => {
  await tasks?.close();
  await stack?.stop();
});

const deliveredTo = (marker: string) => stack.receiver.received().filter((h) => (h.body as { data?: { message?: string } }).data?.message === marker);

describe("failures", () => {
  it("runs the handler once when the same Cloud Task is delivered twice at once", async () => {
    const marker = `dup-${Date.now()}`;
    // Held on the paused queue (an ETA would not do: a delivery before it is refused), then delivered by hand.
    await tasks.pauseQueue({ name: queuePath("notifications") });
    const { body } = await api.submit("notify.system", { notification_type: "info", title: "dup", message: marker });
    const [cloudTask] = await tasks.getTask({ name: `${queuePath("notifications")}/tasks/${body.task_id}`, responseView: "FULL" });
    await tasks.deleteTask({ name: cloudTask.name! });
    await tasks.resumeQueue({ name: queuePath("notifications") });
    const http = cloudTask.httpRequest!;
    const deliver = () =>
      fetch(stack.workerUrl, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Authorization: `Bearer ${signer.sign({ audience: stack.workerUrl, email: TASKS_SERVICE_ACCOUNT })}`,
          "X-CloudTasks-TaskName": body.task_id,
          "X-CloudTasks-QueueName": "notifications",
          "X-CloudTasks-TaskRetryCount": "0",
          "X-CloudTasks-TaskExecutionCount": "0",
        },
        body: Buffer.from(http.body as Uint8Array),
      });
    const answers = await Promise.all([deliver(), deliver(), deliver()]);
    // One ran it; the others were told to come back later (503) or that it was done (200).
    expect(answers.map((a) => a.status).sort()).toEqual(expect.arrayContaining([200]));
    await api.waitFor(body.task_id, "SUCCESS");
    const late = await deliver();
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ dropped: "duplicate" });
    expect(deliveredTo(marker)).toHaveLength(1);
  });

  it("refuses a delivery without a valid OIDC token", async () => {
    // JSON, as Cloud Tasks sends it: any other type is refused (415) before the token is looked at.
    const answer = await fetch(stack.workerUrl, { method: "POST", headers: { "X-CloudTasks-TaskName": "x", "Content-Type": "application/json" }, body: "{}" });
    expect(answer.status).toBe(401);
    const forged = await fetch(stack.workerUrl, {
      method: "POST",
      headers: { Authorization: `Bearer ${createOidcSigner().sign({ audience: stack.workerUrl, email: TASKS_SERVICE_ACCOUNT })}`, "X-CloudTasks-TaskName": "x", "Content-Type": "application/json" },
      body: "{}",
    });
    expect(forged.status).toBe(401);
  });

  it("completes a task whose worker was killed mid-run, on redelivery", async () => {
    const { body } = await api.submit("testing.sleep", { seconds: 3 });
    await api.waitFor(body.task_id, "STARTED");
    await stack.worker.stop("SIGKILL");
    await stack.restart("worker");
    const done = await api.waitFor(body.task_id, "SUCCESS", 45_000);
    expect(done.attempts).toBe(2);
  }, 60_000);

  it("answers 503 and enqueues nothing when Redis is down at submit", async () => {
    const [before] = await tasks.listTasks({ parent: queuePath("default") });
    await stack.stopBridge();
    try {
      const answer = await api.submit("testing.noop", { n: 1 });
      expect(answer.status).toBe(503);
      expect((answer.body as unknown as { error: { code: string } }).error.code).toBe("unavailable");
      const [after] = await tasks.listTasks({ parent: queuePath("default") });
      expect(after.length).toBe(before.length);
    } finally {
      await stack.startBridge();
    }
    const ok = await api.submit("testing.noop", { n: 2 });
    expect(ok.status).toBe(202);
  });

  it("retries, and does not lose, a task whose worker finds Redis down", async () => {
    const marker = `redis-down-${Date.now()}`;
    const { body } = await api.submit("notify.system", { notification_type: "info", title: "r", message: marker }, { countdown: 2 });
    const name = `${queuePath("notifications")}/tasks/${body.task_id}`;
    await stack.stopBridge();
    try {
      await eventually(async () => {
        const [task] = await tasks.getTask({ name });
        expect(Number(task.dispatchCount)).toBeGreaterThanOrEqual(2);
      }, { timeoutMs: 20_000, intervalMs: 200 });
    } finally {
      await stack.startBridge();
    }
    await api.waitFor(body.task_id, "SUCCESS", 30_000);
    expect(deliveredTo(marker)).toHaveLength(1);
  }, 60_000);
});
