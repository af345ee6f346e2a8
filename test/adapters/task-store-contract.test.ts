// The TaskStore contract against RedisTaskStore: the real scripts in a private redis-server behind the
// Upstash bridge, each test under a key prefix of its own. The store's clock is the test's; record
// expiry (EXPIRE) follows real time, so letTimePass also waits.
import { afterAll, beforeAll } from "vitest";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "@upstash/redis";
import { startRedisServer, type RedisServer } from "../../emulators/redis-server.ts";
import { startUpstashBridge, type UpstashBridge } from "../../emulators/upstash/index.ts";
import { RedisTaskStore, type RawRedis } from "../../functions/adapters/redis/task-store.ts";
import { RedisGroupStore } from "../../functions/adapters/redis/group-store.ts";
import { RedisRateLimiter } from "../../functions/adapters/redis/rate-limiter.ts";
import { describeTaskStoreContract } from "../contracts/task-store.contract.ts";

let server: RedisServer;
let bridge: UpstashBridge;
let raw: RawRedis;

beforeAll(async () => {
  server = await startRedisServer();
  bridge = await startUpstashBridge({ redisPort: server.port });
  raw = new Redis({ url: bridge.url, token: bridge.token, enableTelemetry: false, automaticDeserialization: false }) as unknown as RawRedis;
});
afterAll(async () => {
  await bridge?.close();
  await server?.stop();
});

describeTaskStoreContract("redis", async ({ queues, tenants }) => {
  const clock = { now: Date.now() };
  const prefix = `contract-${randomUUID()}`;
  return {
    store: new RedisTaskStore(raw, { prefix, queues, tenants: () => tenants, now: () => clock.now }),
    groups: new RedisGroupStore(raw, prefix),
    rateLimiter: new RedisRateLimiter(raw, prefix, () => clock.now),
    clock,
    letTimePass: async (ms) => {
      clock.now += ms;
      await sleep(ms);
    },
  };
});
