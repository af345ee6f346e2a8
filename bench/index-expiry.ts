// 3b. Redis that does not grow with history: N tasks run to SUCCESS with a 1 s result TTL,
// straight through the task store (the same scripts the api and the worker run, on the stack's
// Redis behind the Upstash bridge, under a key prefix of their own), then the index sweep
// platform.outbox_sweep runs every minute: how many index entries are left once their records
// expired (the target is 0), and what the sweep costs per task.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "@upstash/redis";
import type { Stack } from "../emulators/stack.ts";
import { RedisTaskStore, type RawRedis } from "../functions/adapters/redis/task-store.ts";
import { taskKeys } from "../functions/adapters/redis/keys.ts";
import { count, type SectionResult } from "./report.ts";

const TENANT = "bench";
const QUEUE = "default";
/** The sweep's batch as platform.outbox_sweep runs it by default. */
const BATCH = 2000;

export async function benchIndexExpiry(stack: Stack, options: { tasks: number; concurrency: number }): Promise<SectionResult> {
  const redis = new Redis({ url: stack.bridge.url, token: stack.bridge.token, enableTelemetry: false, automaticDeserialization: false }) as unknown as RawRedis;
  const prefix = `bench-expiry-${randomUUID().slice(0, 8)}`;
  const store = new RedisTaskStore(redis, { prefix, queues: [QUEUE], tenants: () => [TENANT] });
  const index = taskKeys(prefix).index(TENANT, QUEUE);
  const entries = async () => Number(await (redis as unknown as Redis).zcard(index));

  let next = 0;
  await Promise.all(Array.from({ length: options.concurrency }, async () => {
    while (next < options.tasks) {
      const id = `expiry-${next++}`;
      await store.create({
        id, tenant: TENANT, type: "testing.noop", queue: QUEUE, priority: "normal", status: "PENDING", createdAt: Date.now(),
        maxAttempts: 1, resultTtlSeconds: 1, leaseMs: 30_000, cloudTask: id, payload: "{}",
      });
      await store.claim(id, { cloudTask: id, runId: "run", leaseMs: 30_000, workerId: "bench" });
      await store.finish(id, "run", QUEUE, { status: "SUCCESS", result: "null" }, 1);
    }
  }));
  await sleep(1_500); // every record's TTL ran out
  const before = await entries();

  // The sweep, batch after batch as the every-minute task runs it, from an index that held every task.
  await stack.bridge.resetStats();
  let batches = 0, removed = 0;
  for (;;) {
    const swept = await store.sweepIndexes({ minAgeMs: 0, budget: BATCH });
    batches++;
    removed += swept.removed;
    if (swept.examined < BATCH) break;
  }
  const requests = stack.bridge.stats().requests;
  const executed = await stack.bridge.redisCommandsExecuted();
  const after = await entries();
  await (redis as unknown as Redis).del(index, taskKeys(prefix).indexSweep);

  const section = "3b Redis history";
  return {
    values: { redis_index_entries_after_expiry: after, redis_index_sweep_commands_per_task: executed / options.tasks },
    figures: [
      { section, figure: `index entries of ${options.tasks.toLocaleString("en-US")} expired tasks, before the sweep`, value: count(before) },
      { section, figure: "index entries left after the sweep", value: count(after), target: "0", met: after === 0 },
      { section, figure: "sweep cost per task", value: `${requests} requests in all (${batches} batches), ${count(executed / options.tasks)} commands executed per task; ${removed} entries removed` },
    ],
    notes: [
      `Index expiry: ${options.tasks} no-ops created, claimed and finished SUCCESS with a 1 s result TTL through RedisTaskStore (the api's and the worker's scripts) on the stack's Redis, ` +
        "under a prefix of their own; 1.5 s later every record had expired. Records expire by their TTL; their entries in the tenant's queue index (and the dead-letter index) leave " +
        `when the index sweep finds the record gone: platform.outbox_sweep runs it every minute in batches of ${BATCH} (one request each) over entries older than an hour by default ` +
        "(here 0, with the TTL shortened), and GET /v1/tasks removes the expired entries it passes. The plain lifecycle pays nothing for it (section 3); the sweep's cost per task " +
        "(an EXISTS and a ZREM inside the script, a request per batch) is counted here, with whatever the stack's own processes ran meanwhile.",
    ],
  };
}
