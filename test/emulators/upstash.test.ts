// Conformance of the Upstash REST bridge: the real @upstash/redis client against the bridge in front of a private redis-server,
// plus the wire details the client relies on, checked with plain fetch.
import { createHash, randomUUID } from "node:crypto";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedisServer, type RedisServer } from "../../emulators/redis-server.ts";
import { startUpstashBridge, type UpstashBridge } from "../../emulators/upstash/index.ts";
import { eventually } from "../helpers/eventually.ts";

const token = "conformance-token";
let redisServer: RedisServer;
let bridge: UpstashBridge;
let redis: Redis;

beforeAll(async () => {
  redisServer = await startRedisServer();
  bridge = await startUpstashBridge({ redisPort: redisServer.port, token });
  redis = new Redis({ url: bridge.url, token, retry: false });
});

afterAll(async () => {
  await bridge?.close();
  await redisServer?.stop();
});

/** Each test owns its keys. */
const keyspace = () => {
  const prefix = `upstash-test:${randomUUID()}:`;
  return (name: string) => prefix + name;
};

/** A raw request to the bridge, for what the client hides. */
async function raw(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(bridge.url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as unknown };
}

const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("@upstash/redis against the bridge", () => {
  it("strings", async () => {
    const key = keyspace();
    expect(await redis.set(key("s"), "hello")).toBe("OK");
    expect(await redis.get(key("s"))).toBe("hello");
    expect(await redis.append(key("s"), " world")).toBe(11);
    expect(await redis.incr(key("n"))).toBe(1);
    expect(await redis.incrby(key("n"), 41)).toBe(42);
    expect(await redis.mget(key("s"), key("n"), key("missing"))).toEqual(["hello world", 42, null]);
    expect(await redis.set(key("s"), "other", { nx: true })).toBeNull();
    expect(await redis.exists(key("s"), key("missing"))).toBe(1);
    expect(await redis.del(key("s"), key("n"))).toBe(2);
    expect(await redis.get(key("s"))).toBeNull();
  });

  it("hashes come back as objects (from RESP2's flat HGETALL array)", async () => {
    const key = keyspace();
    expect(await redis.hset(key("h"), { name: "Ada", visits: 3, tags: ["a", "b"] })).toBe(3);
    expect(await redis.hgetall(key("h"))).toEqual({ name: "Ada", visits: 3, tags: ["a", "b"] });
    expect(await redis.hget(key("h"), "name")).toBe("Ada");
    expect(await redis.hincrby(key("h"), "visits", 2)).toBe(5);
    expect(await redis.hgetall(key("missing"))).toBeNull();
  });

  it("sorted sets with scores", async () => {
    const key = keyspace();
    await redis.zadd(key("z"), { score: 2.5, member: "b" }, { score: 1, member: "a" }, { score: 10, member: "c" });
    expect(await redis.zrange(key("z"), 0, -1, { withScores: true })).toEqual(["a", 1, "b", 2.5, "c", 10]);
    expect(await redis.zrange(key("z"), 5, 1, { byScore: true, rev: true })).toEqual(["b", "a"]);
    expect(await redis.zscore(key("z"), "b")).toBe(2.5);
    expect(await redis.zincrby(key("z"), 0.5, "a")).toBe(1.5);
    expect(await redis.zcard(key("z"))).toBe(3);
  });

  it("lists and sets", async () => {
    const key = keyspace();
    expect(await redis.rpush(key("l"), "a", "b", "c")).toBe(3);
    expect(await redis.lpush(key("l"), "z")).toBe(4);
    expect(await redis.lrange(key("l"), 0, -1)).toEqual(["z", "a", "b", "c"]);
    expect(await redis.lpop(key("l"))).toBe("z");
    expect(await redis.sadd(key("set"), "x", "y", "x")).toBe(2);
    expect((await redis.smembers(key("set"))).sort()).toEqual(["x", "y"]);
    expect(await redis.sismember(key("set"), "y")).toBe(1);
  });

  it("JSON values round-trip through the client's serialiser", async () => {
    const key = keyspace();
    const value = { id: 7, nested: { list: [1, "two", null], ok: true }, text: "quoted \"here\"" };
    await redis.set(key("json"), value);
    expect(await redis.get(key("json"))).toEqual(value);
    await redis.set(key("array"), [1, 2, 3]);
    expect(await redis.mget(key("json"), key("array"))).toEqual([value, [1, 2, 3]]);
  });

  it("Unicode survives base64 in both directions", async () => {
    const key = keyspace();
    const texts = {
      vietnamese: "Tiếng Việt có dấu: Đường phố Hà Nội",
      persian: "سلام دنیا، این یک آزمایش است",
      emoji: "🚀 tasks ✅ done 👩🏽‍💻",
      mixed: "a\u0000b\tc\n\u00e9\u{1F600}",
    };
    for (const [name, text] of Object.entries(texts)) await redis.set(key(name), text);
    for (const [name, text] of Object.entries(texts)) expect(await redis.get(key(name))).toBe(text);
    await redis.hset(key("h"), texts);
    expect(await redis.hgetall(key("h"))).toEqual(texts);
    await redis.rpush(key("l"), ...Object.values(texts));
    expect(await redis.lrange(key("l"), 0, -1)).toEqual(Object.values(texts));
  });

  it("pipeline: one request, results in order, per-command errors", async () => {
    const key = keyspace();
    await bridge.resetStats();
    const pipeline = redis.pipeline();
    pipeline.set(key("a"), "1").incr(key("a")).get(key("missing")).lpush(key("a"), "x").hset(key("h"), { f: "v" });
    const results = await pipeline.exec({ keepErrors: true });
    expect(results.map((r) => r.result)).toEqual(["OK", 2, null, undefined, 1]);
    expect(results[3]?.error).toMatch(/^WRONGTYPE/);
    expect(bridge.stats()).toEqual({ requests: 1, commands: 5 });

    const failing = redis.pipeline();
    failing.get(key("a")).lpush(key("a"), "x");
    await expect(failing.exec()).rejects.toThrow(/Command 2 \[ lpush \] failed: WRONGTYPE/);
  });

  it("multi-exec: a transaction in one request", async () => {
    const key = keyspace();
    await bridge.resetStats();
    const tx = redis.multi();
    tx.set(key("counter"), 10).incrby(key("counter"), 5).get(key("counter"));
    expect(await tx.exec()).toEqual(["OK", 15, 15]);
    expect(bridge.stats()).toEqual({ requests: 1, commands: 3 });

    // A runtime error fails one command; the others still commit, as in Redis.
    const partial = redis.multi();
    partial.incr(key("counter")).lpush(key("counter"), "x");
    const results = await partial.exec({ keepErrors: true });
    expect(results[0]?.result).toBe(16);
    expect(results[1]?.error).toMatch(/^WRONGTYPE/);

    // A command Redis rejects while queueing aborts the whole transaction.
    const aborted = await raw("/multi-exec", [["SET", key("x"), "1"], ["GET"]]);
    expect(aborted.status).toBe(400);
    expect(aborted.json).toEqual({ error: expect.stringMatching(/^EXECABORT .*wrong number of arguments/) });
    expect(await redis.get(key("x"))).toBeNull();
  });

  it("auto-pipelining batches concurrent commands into one HTTP request", async () => {
    const key = keyspace();
    const auto = new Redis({ url: bridge.url, token, enableAutoPipelining: true, retry: false });
    await bridge.resetStats();
    const writes = await Promise.all([1, 2, 3, 4, 5].map((i) => auto.set(key(`k${i}`), i)));
    expect(writes).toEqual(["OK", "OK", "OK", "OK", "OK"]);
    expect(bridge.stats()).toEqual({ requests: 1, commands: 5 });

    await bridge.resetStats();
    const reads = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => auto.get(key(`k${i}`))));
    expect(reads).toEqual([1, 2, 3, 4, 5, null]);
    expect(bridge.stats()).toEqual({ requests: 1, commands: 6 });
  });

  it("eval, evalsha and scripts (EVALSHA falls back to EVAL on NOSCRIPT)", async () => {
    const key = keyspace();
    expect(await redis.eval("return {KEYS[1], ARGV[1], 7}", [key("k")], ["arg"])).toEqual([key("k"), "arg", 7]);
    await expect(redis.evalsha("0".repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/);

    const script = redis.createScript<number>("return redis.call('INCRBY', KEYS[1], ARGV[1])");
    await bridge.resetStats();
    expect(await script.exec([key("n")], ["2"])).toBe(2);
    expect(bridge.stats().requests).toBe(2); // EVALSHA missed, EVAL loaded it
    expect(await script.exec([key("n")], ["3"])).toBe(5);
    expect(bridge.stats().requests).toBe(3); // EVALSHA hit the cache
  });

  it("scripts with Upstash-only shebang flags run and stay cached under the client's SHA", async () => {
    const key = keyspace();
    const text = "#!lua flags=allow-key-locking\nreturn redis.call('INCR', KEYS[1])";
    const sha = createHash("sha1").update(text).digest("hex");
    expect(await redis.scriptLoad(text)).toBe(sha);
    expect(await redis.scriptExists(sha)).toEqual([1]);
    await bridge.resetStats();
    const script = redis.createScript<number>(text);
    expect(await script.exec([key("n")], [])).toBe(1);
    expect(await script.exec([key("n")], [])).toBe(2);
    expect(bridge.stats().requests).toBe(2); // both EVALSHA, no fallback
  });

  it("SCAN with MATCH and COUNT walks every matching key", async () => {
    const key = keyspace();
    const wanted = Array.from({ length: 40 }, (_, i) => key(`match:${i}`));
    const pipeline = redis.pipeline();
    for (const name of wanted) pipeline.set(name, 1);
    for (let i = 0; i < 10; i++) pipeline.set(key(`other:${i}`), 1);
    await pipeline.exec();

    const seen = new Set<string>();
    let cursor: string | number = 0;
    let pages = 0;
    do {
      const [next, keys]: [string | number, string[]] = await redis.scan(cursor, { match: key("match:*"), count: 10 });
      for (const name of keys) seen.add(name);
      cursor = next;
      pages++;
    } while (String(cursor) !== "0");
    expect([...seen].sort()).toEqual([...wanted].sort());
    expect(pages).toBeGreaterThan(1);
  });

  it("expiry: SET EX, TTL, PX", async () => {
    const key = keyspace();
    await redis.set(key("ex"), "v", { ex: 100 });
    const ttl = await redis.ttl(key("ex"));
    expect(ttl).toBeGreaterThan(90);
    expect(ttl).toBeLessThanOrEqual(100);
    expect(await redis.ttl(key("missing"))).toBe(-2);
    await redis.set(key("px"), "v", { px: 50 });
    await eventually(async () => expect(await redis.get(key("px"))).toBeNull(), { timeoutMs: 2_000 });
  });

  it("a command error surfaces as an error in the client", async () => {
    const key = keyspace();
    await redis.set(key("s"), "text");
    await expect(redis.lpush(key("s"), "x")).rejects.toThrow(/WRONGTYPE Operation against a key holding the wrong kind of value/);
    await expect(redis.incr(key("s"))).rejects.toThrow(/ERR value is not an integer/);
  });

  it("a wrong or missing token is refused", async () => {
    const wrong = new Redis({ url: bridge.url, token: "not-the-token", retry: false });
    await expect(wrong.get("anything")).rejects.toThrow(/Unauthorized/);
    const missing = await fetch(bridge.url, { method: "POST", body: JSON.stringify(["PING"]) });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: "Unauthorized" });
    const viaQuery = await fetch(`${bridge.url}/ping?_token=${token}`);
    expect(await viaQuery.json()).toEqual({ result: "PONG" });
  });
});

describe("wire protocol details", () => {
  it("single commands: {result}, base64 strings, bare OK, numbers, nil, nested arrays", async () => {
    const key = keyspace();
    const base64 = { "upstash-encoding": "base64" };
    expect((await raw("/", ["SET", key("s"), "héllo"], base64)).json).toEqual({ result: "OK" });
    expect((await raw("/", ["GET", key("s")], base64)).json).toEqual({ result: b64("héllo") });
    expect((await raw("/", ["GET", key("s")])).json).toEqual({ result: "héllo" });
    expect((await raw("/", ["TYPE", key("s")], base64)).json).toEqual({ result: b64("string") });
    expect((await raw("/", ["STRLEN", key("s")], base64)).json).toEqual({ result: 6 });
    expect((await raw("/", ["GET", key("missing")], base64)).json).toEqual({ result: null });
    const nested = await raw("/", ["EVAL", "return {1, 'a', {'b', 2}, false}", "0"], base64);
    expect(nested.json).toEqual({ result: [1, b64("a"), [b64("b"), 2], null] });
  });

  it("errors: 400 on /, 200 with per-item errors in a pipeline", async () => {
    const key = keyspace();
    await raw("/", ["SET", key("s"), "x"]);
    const single = await raw("/", ["LPUSH", key("s"), "y"]);
    expect(single.status).toBe(400);
    expect(single.json).toEqual({ error: expect.stringMatching(/^WRONGTYPE/) });
    const unknown = await raw("/", ["NOSUCHCOMMAND"]);
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({ error: expect.stringMatching(/^ERR unknown command/) });
    const pipeline = await raw("/pipeline", [["GET", key("s")], ["LPUSH", key("s"), "y"], ["INCR", key("n")]]);
    expect(pipeline.status).toBe(200);
    expect(pipeline.json).toEqual([{ result: "x" }, { error: expect.stringMatching(/^WRONGTYPE/) }, { result: 1 }]);
    expect((await raw("/", "not json")).status).toBe(400);
    expect((await raw("/pipeline", [])).status).toBe(400);
  });

  it("blocking and subscribing commands are refused with a clear error", async () => {
    const blocking = await raw("/", ["BLPOP", "queue", "0"]);
    expect(blocking.status).toBe(400);
    expect(blocking.json).toEqual({ error: expect.stringMatching(/BLPOP is not supported by the Upstash REST bridge/) });
    const pipeline = await raw("/pipeline", [["PING"], ["SUBSCRIBE", "channel"]]);
    expect(pipeline.json).toEqual([{ result: "PONG" }, { error: expect.stringMatching(/SUBSCRIBE is not supported/) }]);
    const xread = await raw("/", ["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
    expect(xread.json).toEqual({ error: expect.stringMatching(/XREAD with BLOCK/) });
    await expect(redis.exec(["BLPOP", "queue", "0"])).rejects.toThrow(/not supported by the Upstash REST bridge/);
  });

  it("path commands, including binary values sent as a POST body", async () => {
    const key = keyspace();
    const bytes = Uint8Array.from([0xff, 0x00, 0x80, 0x0a, 0xc3]);
    const set = await raw(`/set/${encodeURIComponent(key("bin"))}`, bytes);
    expect(set.json).toEqual({ result: "OK" });
    const get = await fetch(`${bridge.url}/get/${encodeURIComponent(key("bin"))}`, {
      headers: { authorization: `Bearer ${token}`, "upstash-encoding": "base64" },
    });
    expect(await get.json()).toEqual({ result: Buffer.from(bytes).toString("base64") });
    expect(await redis.strlen(key("bin"))).toBe(5);
  });

  it("large values and replies cross many TCP chunks intact", async () => {
    const key = keyspace();
    const big = "ß€🚀".repeat(150_000); // ~1.35 MB of UTF-8
    await redis.set(key("big"), big);
    expect(await redis.get(key("big"))).toBe(big);
    const items = Array.from({ length: 20_000 }, (_, i) => `item-${i}`);
    await redis.rpush(key("list"), ...items);
    expect(await redis.lrange(key("list"), 0, -1)).toEqual(items);
  });

  it("sends an upstash-sync-token that moves, and accepts it back", async () => {
    const first = await raw("/", ["PING"]);
    const token1 = first.headers.get("upstash-sync-token");
    const second = await raw("/", ["PING"], { "upstash-sync-token": token1 ?? "" });
    expect(second.status).toBe(200);
    expect(token1).toMatch(/^\d+$/);
    expect(Number(second.headers.get("upstash-sync-token"))).toBeGreaterThan(Number(token1));
  });
});

describe("counting for the benchmark", () => {
  it("counts requests and forwarded commands; /__stats reads and resets them", async () => {
    const key = keyspace();
    await bridge.resetStats();
    await redis.set(key("a"), 1);
    await redis.pipeline().incr(key("a")).incr(key("a")).get(key("a")).exec();
    await redis.multi().incr(key("a")).get(key("a")).exec();
    expect(bridge.stats()).toEqual({ requests: 3, commands: 6 });

    const overHttp = await fetch(`${bridge.url}/__stats`);
    expect(await overHttp.json()).toEqual({ requests: 3, commands: 6 });
    const reset = await fetch(`${bridge.url}/__stats/reset`, { method: "POST" });
    expect(reset.status).toBe(200);
    expect(bridge.stats()).toEqual({ requests: 0, commands: 0 });
  });

  it("redisCommandsExecuted counts commands run inside Lua, not the counting itself", async () => {
    const key = keyspace();
    await bridge.resetStats();
    expect(await bridge.redisCommandsExecuted()).toBe(0);
    await redis.eval("redis.call('SET', KEYS[1], 1); redis.call('INCR', KEYS[1]); return redis.call('GET', KEYS[1])", [key("k")], []);
    expect(await bridge.redisCommandsExecuted()).toBe(4); // EVAL + SET + INCR + GET
    await redis.get(key("k"));
    expect(await bridge.redisCommandsExecuted()).toBe(5);
    expect(bridge.stats()).toEqual({ requests: 2, commands: 2 });
    const overHttp = await fetch(`${bridge.url}/__stats/redis`);
    expect(await overHttp.json()).toEqual({ commandsExecuted: 5 });
  });
});

describe("when redis-server is down", () => {
  it("answers 503 quickly, then recovers when Redis is back", async () => {
    const server = await startRedisServer();
    const own = await startUpstashBridge({ redisPort: server.port, token });
    const client = new Redis({ url: own.url, token, retry: false });
    let restarted: RedisServer | undefined;
    try {
      expect(await client.set("k", "v")).toBe("OK");
      await server.stop();

      const response = await fetch(own.url, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify(["GET", "k"]),
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/Redis .*(unreachable|lost the connection)/) });
      await expect(client.get("k")).rejects.toThrow(/Redis/);
      expect((await fetch(`${own.url}/__stats/redis`)).status).toBe(503);

      restarted = await startRedisServer({ port: server.port });
      await eventually(async () => expect(await client.ping()).toBe("PONG"));
    } finally {
      await own.close();
      await restarted?.stop();
    }
  });

  it("a stalled Redis (SIGSTOP) holds requests unanswered until SIGCONT, then answers them", async () => {
    const server = await startRedisServer();
    const own = await startUpstashBridge({ redisPort: server.port, token });
    const client = new Redis({ url: own.url, token, retry: false });
    try {
      await client.set("k", "v");
      server.process.kill("SIGSTOP");
      let answered = false;
      const held = client.get("k").then((value) => { answered = true; return value; });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(answered).toBe(false);
      server.process.kill("SIGCONT");
      expect(await held).toBe("v");
    } finally {
      server.process.kill("SIGCONT");
      await own.close();
      await server.stop();
    }
  });

  it("closed, then started again on the same port, it serves the same data", async () => {
    const server = await startRedisServer();
    const first = await startUpstashBridge({ redisPort: server.port, token });
    const client = new Redis({ url: first.url, token, retry: false });
    try {
      await client.set("k", "kept");
      await first.close();
      await expect(client.get("k")).rejects.toThrow();
      const second = await startUpstashBridge({ redisPort: server.port, port: first.port, token });
      try {
        expect(await client.get("k")).toBe("kept");
      } finally {
        await second.close();
      }
    } finally {
      await server.stop();
    }
  });

  it("refuses to start when nothing listens on the Redis port", async () => {
    const server = await startRedisServer();
    await server.stop();
    await expect(startUpstashBridge({ redisPort: server.port })).rejects.toThrow(/unreachable/);
  });
});
