// Every adapter's deadline, against servers that accept a connection and never
// answer (what a stalled dependency looks like): each call fails within its
// deadline, as a dependency error where the adapter maps one, instead of hanging.
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudTasksQueue } from "../../functions/adapters/cloud-tasks/task-queue.ts";
import { CloudSchedulerAdapter } from "../../functions/adapters/cloud-scheduler/scheduler.ts";
import { GcsBlobStore } from "../../functions/adapters/gcs/blob-store.ts";
import { QdrantVectorStore } from "../../functions/adapters/qdrant/vector-store.ts";
import { lazyPool } from "../../functions/adapters/postgres/pool.ts";
import { PubSubEventBus } from "../../functions/adapters/pubsub/event-bus.ts";

// Nothing here runs on Google Cloud: the auth library need not probe the metadata server.
process.env.METADATA_SERVER_DETECTION ??= "none";

const DEADLINE_MS = 400;
/** The deadline plus room for a loaded machine; far below anything that hangs. */
const WITHIN_MS = 5_000;

let silent: TcpServer;
let host: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  // Accepts every connection, reads everything, answers nothing.
  silent = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("data", () => undefined);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

async function failsWithin(call: () => Promise<unknown>): Promise<Error> {
  const started = performance.now();
  const error = await call().then(() => null, (e: Error) => e);
  const elapsed = performance.now() - started;
  expect(error, "the call should have failed").not.toBeNull();
  expect(elapsed).toBeLessThan(WITHIN_MS);
  return error!;
}

describe("deadlines against a dependency that never answers", () => {
  it("Cloud Tasks: createTask and deleteTask", async () => {
    const queue = new CloudTasksQueue({ project: "p", location: "l", emulatorHost: host, workerUrls: { worker: "http://127.0.0.1:1/" }, timeoutMs: DEADLINE_MS });
    const error = await failsWithin(() => queue.enqueue({ queue: "q", name: "t1", worker: "worker", body: "{}", dispatchDeadlineSeconds: 60 }));
    expect(error.name).toBe("DependencyError");
    expect((await failsWithin(() => queue.delete("q", "t1"))).name).toBe("DependencyError");
  });

  it("Cloud Scheduler: list and run", async () => {
    const scheduler = new CloudSchedulerAdapter({
      project: "p", location: "l", emulatorHost: host, prefix: "tq-", targetUrl: "http://127.0.0.1:1",
      retry: { retryCount: 0, minBackoffSeconds: 1, maxBackoffSeconds: 1, maxDoublings: 0, attemptDeadlineSeconds: 10 }, timeoutMs: DEADLINE_MS,
    });
    expect((await failsWithin(() => scheduler.list())).name).toBe("DependencyError");
    expect((await failsWithin(() => scheduler.run("x"))).name).toBe("DependencyError");
  });

  it("Cloud Storage: put and stat", async () => {
    const store = new GcsBlobStore({ bucket: "b", project: "p", endpoint: `http://${host}`, timeoutMs: DEADLINE_MS });
    expect((await failsWithin(() => store.put("a", Buffer.from("x"), { contentType: "text/plain" }))).name).toBe("DependencyError");
    await failsWithin(() => store.stat("a"));
  });

  it("Qdrant: a query", async () => {
    const vectors = new QdrantVectorStore({ url: `http://${host}`, defaultCollection: "c", timeoutMs: DEADLINE_MS });
    await failsWithin(() => vectors.query("c", [0.1, 0.2], { limit: 1 }));
  });

  it("Postgres: connecting", async () => {
    const pool = lazyPool(() => ({ connectionString: `postgres://u:p@${host}/db`, max: 1, idleTimeoutMs: 1_000, connectionTimeoutMs: DEADLINE_MS, queryTimeoutMs: DEADLINE_MS }));
    await failsWithin(async () => (await pool()).query("select 1"));
    await (await pool()).end();
  });

  it("Pub/Sub: a publish", async () => {
    const previous = process.env.PUBSUB_EMULATOR_HOST;
    process.env.PUBSUB_EMULATOR_HOST = host;
    try {
      const bus = new PubSubEventBus(`deadline-${Date.now()}`, DEADLINE_MS);
      expect((await failsWithin(() => bus.publish("t", { a: 1 }))).name).toBe("DependencyError");
    } finally {
      if (previous === undefined) delete process.env.PUBSUB_EMULATOR_HOST;
      else process.env.PUBSUB_EMULATOR_HOST = previous;
    }
  });
});
