// Conformance of the Cloud Tasks emulator: the real @google-cloud/tasks client
// drives it, and a local HTTP receiver sees what it dispatches.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { CloudTasksClient } from "@google-cloud/tasks";
import { OAuth2Client } from "google-auth-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudTasksClientOptions, startCloudTasksEmulator, type CloudTasksEmulator } from "../../emulators/cloud-tasks/index.ts";
import { serviceAccountUniqueId } from "../../emulators/oidc.ts";
import { freePort } from "../../emulators/ports.ts";
import { eventually } from "../helpers/eventually.ts";

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  atMs: number;
  /** The emulator hung up before the receiver answered. */
  cancelled: boolean;
}

type Reply = (request: Received, index: number) => { status: number; delayMs?: number; headers?: Record<string, string> };

/** One HTTP server; each test takes its own path and says how that path answers. */
class Receiver {
  private readonly server: http.Server;
  private readonly routes = new Map<string, { reply: Reply; received: Received[]; inFlight: number; maxInFlight: number }>();
  port = 0;

  constructor() {
    this.server = http.createServer((request, response) => {
      const pathname = new URL(request.url ?? "/", "http://x").pathname;
      if (pathname.startsWith("/redirect/")) {
        return void response.writeHead(Number(pathname.split("/")[2]), { Location: `/${pathname.split("/")[3]}` }).end();
      }
      const route = this.routes.get(pathname);
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        if (!route) return void response.writeHead(404).end();
        const received: Received = {
          method: request.method ?? "", url: request.url ?? "", headers: request.headers,
          body: Buffer.concat(chunks).toString(), atMs: Date.now(), cancelled: false,
        };
        const { status: code, delayMs = 0, headers = {} } = route.reply(received, route.received.length);
        route.received.push(received);
        route.maxInFlight = Math.max(route.maxInFlight, ++route.inFlight);
        const timer = setTimeout(() => {
          route.inFlight--;
          response.writeHead(code, headers).end();
        }, delayMs);
        response.on("close", () => {
          if (response.writableEnded) return;
          received.cancelled = true;
          route.inFlight--;
          clearTimeout(timer);
        });
      });
    });
  }

  async start(): Promise<void> {
    this.port = await freePort();
    await new Promise<void>((resolve) => this.server.listen(this.port, "127.0.0.1", resolve));
  }

  route(reply: Reply = () => ({ status: 200 })) {
    const path = `/${randomUUID()}`;
    const state = { reply, received: [] as Received[], inFlight: 0, maxInFlight: 0 };
    this.routes.set(path, state);
    return { url: `http://127.0.0.1:${this.port}${path}?from=emulator`, state };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const PARENT = "projects/conformance/locations/us-central1";
const LATER = () => ({ seconds: Math.floor(Date.now() / 1000) + 3600 });
const seconds = (s: number) => {
  const ms = Math.round(s * 1000);
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
};
const toMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

let emulator: CloudTasksEmulator;
let client: CloudTasksClient;
const receiver = new Receiver();

beforeAll(async () => {
  // Strict but for one relaxation: finished task names are kept 2.5 s instead of an hour, so the
  // test of that window can see it end.
  emulator = await startCloudTasksEmulator({ port: await freePort(), tombstoneSeconds: 2.5 });
  client = new CloudTasksClient(cloudTasksClientOptions(emulator.port));
  await receiver.start();
});

afterAll(async () => {
  await client?.close();
  await emulator?.close();
  await receiver.close();
});

/** An emulator started with one relaxation, and a client for it, for the length of `use`. */
async function withEmulator(options: Parameters<typeof startCloudTasksEmulator>[0], use: (client: CloudTasksClient) => Promise<void>) {
  const relaxed = await startCloudTasksEmulator(options);
  const relaxedClient = new CloudTasksClient(cloudTasksClientOptions(relaxed.port));
  try {
    await use(relaxedClient);
  } finally {
    await relaxedClient.close();
    await relaxed.close();
  }
}

async function newQueue(queue: Record<string, unknown> = {}) {
  const [created] = await client.createQueue({ parent: PARENT, queue: { name: `${PARENT}/queues/q-${randomUUID()}`, ...queue } });
  return created.name ?? "";
}

/** A fast retry policy so retries happen within a test. */
const quickRetries = (maxAttempts: number, minBackoff = 0.05) => ({
  retryConfig: { maxAttempts, minBackoff: seconds(minBackoff), maxBackoff: seconds(2) },
});

/** Walks every page of a list call. */
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const taskGone = (name: string) =>
  eventually(() => expect(client.getTask({ name })).rejects.toMatchObject({ code: status.NOT_FOUND }));

describe("queues", () => {
  it("creates with defaults filled in, gets, refuses duplicates, deletes", async () => {
    const name = await newQueue({ rateLimits: { maxDispatchesPerSecond: 50 } });
    const [queue] = await client.getQueue({ name });
    expect(queue).toMatchObject({
      name,
      state: "RUNNING",
      rateLimits: { maxDispatchesPerSecond: 50, maxBurstSize: 10, maxConcurrentDispatches: 1000 },
      retryConfig: { maxAttempts: 100, maxDoublings: 16, minBackoff: { seconds: "0", nanos: 100_000_000 } },
    });
    await expect(client.createQueue({ parent: PARENT, queue: { name } })).rejects.toMatchObject({ code: status.ALREADY_EXISTS });
    await client.deleteQueue({ name });
    await expect(client.getQueue({ name })).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(client.deleteQueue({ name })).rejects.toMatchObject({ code: status.NOT_FOUND });
  });

  it("updates only the fields in the mask, and creates a missing queue", async () => {
    const name = await newQueue({
      rateLimits: { maxDispatchesPerSecond: 20, maxConcurrentDispatches: 3 },
      retryConfig: { maxAttempts: 5 },
    });
    const [updated] = await client.updateQueue({
      queue: { name, rateLimits: { maxDispatchesPerSecond: 7 }, retryConfig: { maxAttempts: 9 } },
      updateMask: { paths: ["rate_limits.max_dispatches_per_second"] },
    });
    expect(updated.rateLimits).toMatchObject({ maxDispatchesPerSecond: 7, maxConcurrentDispatches: 3 });
    expect(updated.retryConfig?.maxAttempts).toBe(5);
    const [again] = await client.updateQueue({ queue: { name, retryConfig: { maxAttempts: 9 } }, updateMask: { paths: ["retryConfig.maxAttempts"] } });
    expect(again).toMatchObject({ rateLimits: { maxDispatchesPerSecond: 7 }, retryConfig: { maxAttempts: 9 } });
    await expect(client.updateQueue({ queue: { name }, updateMask: { paths: ["no_such_field"] } })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });

    const missing = `${PARENT}/queues/upserted-${randomUUID()}`;
    await client.updateQueue({ queue: { name: missing, rateLimits: { maxDispatchesPerSecond: 3 } } });
    const [created] = await client.getQueue({ name: missing });
    expect(created.rateLimits?.maxDispatchesPerSecond).toBe(3);
  });

  it("pauses, resumes and purges", async () => {
    const name = await newQueue();
    const [paused] = await client.pauseQueue({ name });
    expect(paused.state).toBe("PAUSED");
    const [resumed] = await client.resumeQueue({ name });
    expect(resumed.state).toBe("RUNNING");
    const [purged] = await client.purgeQueue({ name });
    expect(toMs(purged.purgeTime)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("refuses to re-create a recently deleted queue, like the service (up to 3 days), unless relaxed", async () => {
    const name = `${PARENT}/queues/reborn-${randomUUID().slice(0, 8)}`;
    await client.createQueue({ parent: PARENT, queue: { name } });
    await client.deleteQueue({ name });
    const tooRecent = { code: status.FAILED_PRECONDITION, details: expect.stringMatching(/existed too recently/) };
    await expect(client.createQueue({ parent: PARENT, queue: { name } })).rejects.toMatchObject(tooRecent);
    await expect(client.updateQueue({ queue: { name } })).rejects.toMatchObject(tooRecent);
    await expect(client.getQueue({ name })).rejects.toMatchObject({ code: status.NOT_FOUND });
    // A test that re-creates queues on purpose asks for it.
    await withEmulator({ queueTombstoneSeconds: 0 }, async (relaxed) => {
      await relaxed.createQueue({ parent: PARENT, queue: { name } });
      await relaxed.deleteQueue({ name });
      await relaxed.createQueue({ parent: PARENT, queue: { name } });
    });
  });

  it("answers UNIMPLEMENTED for what the platform does not call", async () => {
    await expect(client.listQueues({ parent: PARENT })).rejects.toMatchObject({ code: status.UNIMPLEMENTED });
  });

  it("rejects bad names and settings", async () => {
    await expect(client.getQueue({ name: "queues/nope" })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(
      client.createQueue({ parent: PARENT, queue: { name: "projects/other/locations/x/queues/q" } }),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(
      client.createQueue({ parent: PARENT, queue: { name: `${PARENT}/queues/bad_id` } }),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(newQueue({ rateLimits: { maxDispatchesPerSecond: 501 } })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(newQueue({ retryConfig: { maxAttempts: -2 } })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });
});

describe("tasks", () => {
  it("creates, gets in BASIC and FULL views, lists by page, deletes", async () => {
    const parent = await newQueue();
    const { url } = receiver.route();
    const name = `${parent}/tasks/named-1`;
    const body = Buffer.from('{"hello":"world"}');
    const [created] = await client.createTask({ parent, task: { name, scheduleTime: LATER(), httpRequest: { url, body } } });
    expect(created).toMatchObject({ name, view: "BASIC", dispatchCount: 0, httpRequest: { url, httpMethod: "POST" } });
    expect(created.httpRequest?.body?.length ?? 0).toBe(0);
    expect(created.httpRequest?.headers).toMatchObject({ "User-Agent": "Google-Cloud-Tasks" });

    const [full] = await client.getTask({ name, responseView: "FULL" });
    expect(Buffer.from(full.httpRequest?.body ?? []).toString()).toBe(body.toString());
    const [basic] = await client.getTask({ name });
    expect(basic.httpRequest?.body?.length ?? 0).toBe(0);

    const [generated] = await client.createTask({ parent, task: { scheduleTime: LATER(), httpRequest: { url } } });
    expect(generated.name).toMatch(new RegExp(`^${parent}/tasks/\\d+$`));
    for (let i = 0; i < 3; i++) await client.createTask({ parent, task: { scheduleTime: LATER(), httpRequest: { url } } });
    const [page, , response] = await client.listTasks({ parent, pageSize: 2 }, { autoPaginate: false });
    expect(page).toHaveLength(2);
    expect(response?.nextPageToken).toBeTruthy();
    const all = await collect(client.listTasksAsync({ parent, pageSize: 2, responseView: "FULL" }));
    expect(all).toHaveLength(5);
    expect(all.find((t) => t.name === name)?.view).toBe("FULL");

    await expect(client.createTask({ parent, task: { name, httpRequest: { url } } })).rejects.toMatchObject({
      code: status.ALREADY_EXISTS,
    });
    await client.deleteTask({ name });
    await expect(client.getTask({ name })).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(client.deleteTask({ name })).rejects.toMatchObject({ code: status.NOT_FOUND });
    const [left] = await client.listTasks({ parent });
    expect(left).toHaveLength(4);
  });

  it("answers NOT_FOUND and INVALID_ARGUMENT like the service", async () => {
    const parent = await newQueue();
    const url = "http://127.0.0.1:9/x";
    const create = (task: Record<string, unknown>, queue = parent) => client.createTask({ parent: queue, task });
    await expect(create({ httpRequest: { url } }, `${PARENT}/queues/missing-${randomUUID()}`)).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    for (const bad of [
      { httpRequest: { url: "ftp://example.com/x" } },
      { httpRequest: {} },
      { httpRequest: { url, httpMethod: "GET", body: Buffer.from("x") } },
      { name: `${parent}/tasks/not a valid id`, httpRequest: { url } },
      { name: `${PARENT}/queues/other/tasks/t1`, httpRequest: { url } },
      { scheduleTime: { seconds: Math.floor(Date.now() / 1000) + 40 * 86400 }, httpRequest: { url } },
      // dispatch_deadline must be in [15 s, 30 min] for HTTP tasks.
      { dispatchDeadline: seconds(14.9), httpRequest: { url } },
      { dispatchDeadline: seconds(1800.001), httpRequest: { url } },
    ]) {
      await expect(create(bad), JSON.stringify(bad)).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    }
    await expect(client.getTask({ name: `${parent}/tasks/nope` })).rejects.toMatchObject({ code: status.NOT_FOUND });
    for (const deadline of [15, 1800]) {
      const [ok] = await create({ dispatchDeadline: seconds(deadline), scheduleTime: LATER(), httpRequest: { url } });
      expect(toMs(ok.dispatchDeadline)).toBe(deadline * 1000);
    }
    await expect(client.listTasks({ parent: `${PARENT}/queues/missing` })).rejects.toMatchObject({ code: status.NOT_FOUND });
  });
});

describe("dispatch", () => {
  it("sends the task's method, headers and body with the Cloud Tasks headers, then deletes it", async () => {
    const parent = await newQueue();
    const { url, state } = receiver.route();
    const [task] = await client.createTask({
      parent,
      task: {
        httpRequest: {
          url, httpMethod: "PUT", body: Buffer.from('{"n":1}'),
          headers: {
            "Content-Type": "application/json", "X-Custom": "kept", "user-agent": "replaced",
            // The service's own headers: a caller's values never reach the target.
            "X-CloudTasks-TaskName": "spoofed", "x-cloudtasks-taskretrycount": "7", "X-CloudTasks-Anything": "x",
          },
        },
      },
    });
    await eventually(() => expect(state.received).toHaveLength(1));
    const [got] = state.received;
    expect(got).toMatchObject({ method: "PUT", url: new URL(url).pathname + "?from=emulator", body: '{"n":1}' });
    expect(got?.headers).toMatchObject({
      "content-type": "application/json",
      "x-custom": "kept",
      "user-agent": "Google-Cloud-Tasks",
      "x-cloudtasks-queuename": parent.split("/").at(-1),
      "x-cloudtasks-taskname": task.name?.split("/").at(-1),
      "x-cloudtasks-taskretrycount": "0",
      "x-cloudtasks-taskexecutioncount": "0",
    });
    expect(Number(got?.headers["x-cloudtasks-tasketa"]) * 1000).toBeCloseTo(toMs(task.scheduleTime), -1);
    expect(got?.headers).not.toHaveProperty("x-cloudtasks-taskpreviousresponse");
    expect(got?.headers).not.toHaveProperty("x-cloudtasks-anything");
    expect(task.httpRequest?.headers).not.toHaveProperty("X-CloudTasks-TaskName");
    await taskGone(task.name ?? "");
  });

  it("follows redirects: the redirected worker's answer settles the task", async () => {
    const parent = await newQueue(quickRetries(2));
    const { url, state } = receiver.route();
    const target = new URL(url).pathname.slice(1);
    const base = `http://127.0.0.1:${receiver.port}`;
    const [kept] = await client.createTask({ parent, task: { httpRequest: { url: `${base}/redirect/307/${target}`, body: Buffer.from("b") } } });
    const [asGet] = await client.createTask({ parent, task: { httpRequest: { url: `${base}/redirect/303/${target}`, body: Buffer.from("b") } } });
    await taskGone(kept.name ?? "");
    await taskGone(asGet.name ?? "");
    expect(state.received.map((r) => `${r.method} ${r.body}`).sort()).toEqual(["GET ", "POST b"]);
    expect(state.received.every((r) => r.headers["x-cloudtasks-taskretrycount"] === "0")).toBe(true);
  });

  it("waits for schedule_time", async () => {
    const parent = await newQueue();
    const { url, state } = receiver.route();
    const dueMs = Date.now() + 700;
    await client.createTask({ parent, task: { scheduleTime: seconds(dueMs / 1000), httpRequest: { url } } });
    await eventually(() => expect(state.received).toHaveLength(1));
    expect(state.received[0]?.atMs).toBeGreaterThanOrEqual(Math.floor(dueMs));
    expect(Number(state.received[0]?.headers["x-cloudtasks-tasketa"]) * 1000).toBeCloseTo(dueMs, -1);
  });

  it("retries a 500 with backoff and growing retry counts until max_attempts, then deletes the task", async () => {
    const parent = await newQueue(quickRetries(3, 0.3));
    const { url, state } = receiver.route(() => ({ status: 500 }));
    const [task] = await client.createTask({ parent, task: { httpRequest: { url } } });
    const name = task.name ?? "";
    // Between attempts the task shows the failure and a schedule_time one backoff later.
    const [between] = await eventually(async () => {
      const result = await client.getTask({ name });
      expect(result[0].responseCount).toBeGreaterThanOrEqual(1);
      expect(result[0].responseCount).toBe(result[0].dispatchCount);
      return result;
    });
    expect(between.lastAttempt?.responseStatus?.code).toBe(status.INTERNAL);
    const backoffMs = 300 * 2 ** ((between.responseCount ?? 1) - 1);
    expect(toMs(between.scheduleTime) - toMs(between.lastAttempt?.responseTime)).toBeGreaterThanOrEqual(backoffMs - 1);
    await taskGone(name);
    expect(state.received.map((r) => r.headers["x-cloudtasks-taskretrycount"])).toEqual(["0", "1", "2"]);
    expect(state.received.map((r) => r.headers["x-cloudtasks-taskpreviousresponse"])).toEqual([undefined, "500", "500"]);
    // 5xx answers do not count as executions.
    expect(state.received.map((r) => r.headers["x-cloudtasks-taskexecutioncount"])).toEqual(["0", "0", "0"]);
    const [first, second, third] = state.received.map((r) => r.atMs);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(300);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(600); // doubled
  });

  it("considers a 503's Retry-After for the next attempt, within the queue's backoff bounds", async () => {
    const parent = await newQueue(quickRetries(3, 0.1));
    const { url, state } = receiver.route((_, index) => (index === 0 ? { status: 503, headers: { "Retry-After": "1" } } : { status: 200 }));
    const [task] = await client.createTask({ parent, task: { httpRequest: { url } } });
    const [between] = await eventually(async () => {
      const result = await client.getTask({ name: task.name ?? "" });
      expect(result[0].responseCount).toBe(1);
      return result;
    });
    // Not the queue's 100 ms backoff: the second attempt is due a second after the answer.
    expect(toMs(between.scheduleTime) - toMs(between.lastAttempt?.responseTime)).toBeGreaterThanOrEqual(999);
    await taskGone(task.name ?? "");
    expect(state.received).toHaveLength(2);
  });

  it("cancels an attempt at dispatch_deadline and retries it", async () => {
    const { url, state } = receiver.route((_, index) => (index === 0 ? { status: 200, delayMs: 10_000 } : { status: 200 }));
    // Relaxed: the service's shortest deadline is 15 s, too long to wait for here.
    await withEmulator({ minDispatchDeadlineSeconds: 0.1 }, async (fast) => {
      const [queue] = await fast.createQueue({ parent: PARENT, queue: { name: `${PARENT}/queues/q-${randomUUID()}`, ...quickRetries(3) } });
      const [task] = await fast.createTask({ parent: queue.name, task: { dispatchDeadline: seconds(0.3), httpRequest: { url } } });
      await eventually(() => expect(fast.getTask({ name: task.name })).rejects.toMatchObject({ code: status.NOT_FOUND }));
    });
    expect(state.received).toHaveLength(2);
    expect(state.received[0]?.cancelled).toBe(true);
    expect(state.received[1]?.headers).toMatchObject({
      "x-cloudtasks-taskretrycount": "1",
      "x-cloudtasks-taskpreviousresponse": "504",
    });
  });

  it("keeps a task's name reserved after it is deleted or completed, for the tombstone window", async () => {
    const parent = await newQueue();
    const { url, state } = receiver.route();
    const name = `${parent}/tasks/dedup-${randomUUID()}`;
    await client.createTask({ parent, task: { name, httpRequest: { url } } });
    await taskGone(name);
    expect(state.received).toHaveLength(1);
    await expect(client.createTask({ parent, task: { name, httpRequest: { url } } })).rejects.toMatchObject({
      code: status.ALREADY_EXISTS,
    });
    const deleted = `${parent}/tasks/deleted`;
    await client.createTask({ parent, task: { name: deleted, scheduleTime: LATER(), httpRequest: { url } } });
    await client.deleteTask({ name: deleted });
    await expect(client.createTask({ parent, task: { name: deleted, httpRequest: { url } } })).rejects.toMatchObject({
      code: status.ALREADY_EXISTS,
    });
    // The emulator here keeps names for 2.5 s instead of the service's hour.
    await eventually(() => client.createTask({ parent, task: { name, httpRequest: { url } } }), { timeoutMs: 8000 });
  });

  it("holds max_dispatches_per_second=5 to about 11 dispatches in 2 s", async () => {
    const parent = await newQueue({ rateLimits: { maxDispatchesPerSecond: 5 } });
    const { url, state } = receiver.route();
    await Promise.all(Array.from({ length: 20 }, () => client.createTask({ parent, task: { httpRequest: { url } } })));
    await eventually(() => expect(state.received.length).toBeGreaterThanOrEqual(13), { timeoutMs: 8000 });
    const start = state.received[0]?.atMs ?? 0;
    const inWindow = state.received.filter((r) => r.atMs - start <= 2000).length;
    expect(inWindow).toBeLessThanOrEqual(12); // a bucket of 1, refilled 5 times a second: 11
    expect(inWindow).toBeGreaterThanOrEqual(6);
  });

  it("never runs more than max_concurrent_dispatches at once", async () => {
    const parent = await newQueue({ rateLimits: { maxConcurrentDispatches: 2 } });
    const { url, state } = receiver.route(() => ({ status: 200, delayMs: 100 }));
    await Promise.all(Array.from({ length: 8 }, () => client.createTask({ parent, task: { httpRequest: { url } } })));
    await eventually(() => expect(state.received).toHaveLength(8));
    await eventually(() => expect(state.inFlight).toBe(0));
    expect(state.maxInFlight).toBe(2);
  });

  it("holds tasks in a paused queue until it is resumed", async () => {
    const paused = await newQueue();
    const running = await newQueue();
    await client.pauseQueue({ name: paused });
    const held = receiver.route();
    const control = receiver.route();
    const [task] = await client.createTask({ parent: paused, task: { httpRequest: { url: held.url } } });
    await client.createTask({ parent: running, task: { httpRequest: { url: control.url } } });
    // The control task, created after, has gone through: the held one would have too.
    await eventually(() => expect(control.state.received).toHaveLength(1));
    expect(held.state.received).toHaveLength(0);
    const [stillThere] = await client.getTask({ name: task.name ?? "" });
    expect(stillThere.dispatchCount).toBe(0);
    await client.resumeQueue({ name: paused });
    await eventually(() => expect(held.state.received).toHaveLength(1));
  });

  it("purges queued tasks", async () => {
    const parent = await newQueue();
    const { url } = receiver.route();
    for (let i = 0; i < 3; i++) await client.createTask({ parent, task: { scheduleTime: LATER(), httpRequest: { url } } });
    await client.purgeQueue({ name: parent });
    const [left] = await client.listTasks({ parent });
    expect(left).toHaveLength(0);
  });

  it("signs an OIDC token that google-auth-library verifies against certsUrl", async () => {
    const parent = await newQueue();
    const { url, state } = receiver.route();
    const email = "worker@conformance.iam.gserviceaccount.com";
    const audience = "https://worker.example.com/tasks";
    await client.createTask({ parent, task: { httpRequest: { url, oidcToken: { serviceAccountEmail: email, audience } } } });
    await client.createTask({ parent, task: { httpRequest: { url, oidcToken: { serviceAccountEmail: email } } } });
    await eventually(() => expect(state.received).toHaveLength(2));
    const verifier = new OAuth2Client({ endpoints: { oauth2FederatedSignonPemCertsUrl: emulator.certsUrl } });
    const tokens = state.received.map((r) => String(r.headers.authorization).replace(/^Bearer /, ""));
    const withAudience = tokens.find((t) => JSON.parse(Buffer.from(t.split(".")[1] ?? "", "base64url").toString()).aud === audience);
    const withUrl = tokens.find((t) => t !== withAudience);
    const ticket = await verifier.verifyIdToken({ idToken: withAudience ?? "", audience });
    expect(ticket.getPayload()).toMatchObject({ email, aud: audience, iss: "https://accounts.google.com" });
    // As Google's: sub and azp are the account's numeric unique id, the email only in `email`.
    expect(ticket.getPayload()).toMatchObject({ sub: serviceAccountUniqueId(email), azp: serviceAccountUniqueId(email) });
    expect(ticket.getPayload()?.sub).toMatch(/^\d{21}$/);
    // Without an audience the token is for the target URL.
    await verifier.verifyIdToken({ idToken: withUrl ?? "", audience: url });
    await expect(verifier.verifyIdToken({ idToken: withUrl ?? "", audience: "https://someone.else" })).rejects.toThrow();
  });
});
