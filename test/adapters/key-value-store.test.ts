// The KeyValueStore adapter on the real @upstash/redis client, through the bridge to a private redis-server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "@upstash/redis";
import { startRedisServer, type RedisServer } from "../../emulators/redis-server.ts";
import { startUpstashBridge, type UpstashBridge } from "../../emulators/upstash/index.ts";
import { RedisKeyValueStore } from "../../functions/adapters/redis/key-value-store.ts";

let server: RedisServer;
let bridge: UpstashBridge;
let kv: RedisKeyValueStore;

beforeAll(async () => {
  server = await startRedisServer();
  bridge = await startUpstashBridge({ redisPort: server.port });
  kv = new RedisKeyValueStore(new Redis({ url: bridge.url, token: bridge.token, enableTelemetry: false }), `kv${Date.now()}`);
});
afterAll(async () => {
  await bridge?.close();
  await server?.stop();
});

describe("RedisKeyValueStore", () => {
  it("keeps JSON values, honours onlyIfAbsent and TTL", async () => {
    expect(await kv.set("a", { x: 1, s: "Xin chào" })).toBe(true);
    expect(await kv.get("a")).toEqual({ x: 1, s: "Xin chào" });
    expect(await kv.set("a", 2, { onlyIfAbsent: true })).toBe(false);
    expect(await kv.set("b", "v", { ttlSeconds: 100 })).toBe(true);
    expect(await kv.ttl("b")).toBeGreaterThan(90);
    expect(await kv.ttl("a")).toBe(-1);
    expect(await kv.ttl("none")).toBe(-2);
    expect(await kv.get("none")).toBeNull();
    expect(await kv.delete("a", "b", "none")).toBe(2);
  });

  it("counts, keeps sets and scans by pattern", async () => {
    expect(await kv.increment("n", 2, 60)).toBe(2);
    expect(await kv.increment("n")).toBe(3);
    expect(await kv.addToSet("s", "1", "2", "2", "3")).toBe(3);
    expect(await kv.setSize("s")).toBe(3);
    const popped = await kv.popFromSet("s", 2);
    expect(popped).toHaveLength(2);
    expect(await kv.setSize("s")).toBe(1);
    for (let i = 0; i < 30; i += 1) await kv.set(`scan:${i}`, i);
    const seen = new Set<string>();
    let cursor = "0";
    do {
      const page = await kv.scan("scan:*", cursor, 10);
      page.keys.forEach((k) => seen.add(k));
      cursor = page.cursor;
    } while (cursor !== "0");
    expect(seen.size).toBe(30);
    expect([...seen].every((k) => k.startsWith("scan:"))).toBe(true);
  });
});
