// The keep-alive requester speaks what @upstash/redis expects: the same calls
// through the library's own fetch transport and through ours give the same
// answers and the same errors, against the bridge in front of a real redis-server.
// Then what fetch lacks: a deadline, and a retry only when nothing was sent.
import { createServer, type Server } from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedisServer, type RedisServer } from "../../emulators/redis-server.ts";
import { startUpstashBridge, type UpstashBridge } from "../../emulators/upstash/index.ts";
import { keepAliveRequester, upstashRedis } from "../../functions/adapters/redis/upstash-client.ts";
import { freePort } from "../../emulators/ports.ts";

const token = "requester-token";
let redisServer: RedisServer;
let bridge: UpstashBridge;

beforeAll(async () => {
  redisServer = await startRedisServer();
  bridge = await startUpstashBridge({ redisPort: redisServer.port, token });
});

afterAll(async () => {
  await bridge?.close();
  await redisServer?.stop();
});

/** Runs the same calls through a client and returns every answer or error message. */
async function exercise(redis: Redis, prefix: string): Promise<unknown[]> {
  const key = (name: string) => `${prefix}:${name}`;
  const outcomes: unknown[] = [];
  const run = async (call: () => Promise<unknown>) => {
    try {
      outcomes.push(await call());
    } catch (error) {
      outcomes.push(`error ${(error as Error).name}: ${(error as Error).message.replaceAll(prefix, "P")}`);
    }
  };
  await run(() => redis.set(key("s"), "héllo ✓ 😀"));
  await run(() => redis.get(key("s")));
  await run(() => redis.set(key("j"), { a: [1, "two", null] }));
  await run(() => redis.get(key("j")));
  await run(() => redis.incrby(key("n"), 41));
  await run(() => redis.mget(key("s"), key("n"), key("missing")));
  await run(() => redis.hset(key("h"), { f: "v", g: 2 }));
  await run(() => redis.hgetall(key("h")));
  await run(() => redis.zadd(key("z"), { score: 1, member: "a" }, { score: 2, member: "b" }));
  await run(() => redis.zrange(key("z"), 0, -1, { withScores: true }));
  await run(() => redis.eval("return {KEYS[1], ARGV[1], 3, {4, 'x'}}", [key("k")], ["arg"]));
  await run(() => redis.evalsha("0000000000000000000000000000000000000000", [], []));
  await run(() => redis.lpush(key("s"), "x")); // WRONGTYPE
  await run(() => redis.pipeline().set(key("p"), "1").incr(key("p")).get(key("p")).exec());
  await run(() => redis.multi().set(key("m"), "1").incr(key("m")).get(key("missing")).exec());
  await run(async () => Promise.all([redis.get(key("s")), redis.get(key("n")), redis.exists(key("h"))])); // auto-pipelined
  await run(() => redis.del(...["s", "j", "n", "h", "z", "p", "m"].map(key)));
  return outcomes;
}

describe("the keep-alive requester", () => {
  it("answers as the library's own transport does, with and without deserialisation", async () => {
    for (const automaticDeserialization of [true, false]) {
      const library = new Redis({ url: bridge.url, token, retry: false, enableTelemetry: false, automaticDeserialization });
      const ours = upstashRedis(keepAliveRequester({ url: bridge.url, token, deadlineMs: 2_000, retries: 1 }), { url: bridge.url, token, automaticDeserialization });
      const prefix = `cmp-${randomUUID()}`;
      const expected = await exercise(library, prefix);
      const actual = await exercise(ours, prefix);
      expect(actual).toEqual(expected);
    }
  });

  it("refuses a wrong token through the library's error path", async () => {
    const ours = upstashRedis(keepAliveRequester({ url: bridge.url, token: "wrong", deadlineMs: 2_000, retries: 1 }), { url: bridge.url, token: "wrong" });
    await expect(ours.get("x")).rejects.toThrow(/Unauthorized/);
  });

  describe("against a server that never answers", () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer(() => undefined); // holds every request open
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it("fails as a dependency error at its deadline, without a retry that would run the call twice", async () => {
      let requests = 0;
      server.on("request", () => requests++);
      const ours = upstashRedis(keepAliveRequester({ url, token, deadlineMs: 300, retries: 1 }), { url, token });
      const started = performance.now();
      const error = await ours.get("x").then(() => null, (e: Error) => e);
      expect(error?.name).toBe("DependencyError");
      expect(error?.message).toMatch(/no answer within 300 ms/);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(requests).toBe(1);
    });
  });

  it("retries once a request that was refused, then fails as a dependency error", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const ours = upstashRedis(keepAliveRequester({ url, token, deadlineMs: 500, retries: 1 }), { url, token });
    const error = await ours.get("x").then(() => null, (e: Error) => e);
    expect(error?.name).toBe("DependencyError");
    expect(error?.message).toMatch(/ECONNREFUSED/);
  });
});
