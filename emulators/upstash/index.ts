// The Upstash REST bridge: an HTTP server on 127.0.0.1 that speaks the Upstash
// REST protocol the way @upstash/redis uses it, in front of a real redis-server,
// so the unchanged client (and scripts written for Upstash) runs locally.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { BridgeCounters, type BridgeStats } from "./bridge-counters.ts";
import { LuaShebangRewriter } from "./lua-shebang.ts";
import { redisCommandsExecuted, resetRedisStats } from "./redis-commandstats.ts";
import { connectRedis } from "./redis-link.ts";
import { createRestHandler } from "./rest-handler.ts";

export interface UpstashBridgeOptions {
  /** Port of the redis-server to forward to, on 127.0.0.1. Required. */
  redisPort: number;
  /** Port to listen on, on 127.0.0.1. Default: a free port chosen by the OS. */
  port?: number;
  /** Bearer token clients must send. Default: a random one (read it from the handle). */
  token?: string;
}

export interface UpstashBridge {
  port: number;
  /** Base URL for `new Redis({ url, token })`. */
  url: string;
  token: string;
  /** HTTP requests served and commands forwarded since the last reset. */
  stats(): BridgeStats;
  /** Zeroes the bridge's counters and Redis's own command statistics. */
  resetStats(): Promise<void>;
  /** Commands Redis executed since the last reset, Lua's redis.call included. */
  redisCommandsExecuted(): Promise<number>;
  /** CONFIG RESETSTAT only. */
  resetRedisStats(): Promise<void>;
  /** Stops listening and ends every socket, client and Redis side. */
  close(): Promise<void>;
}

/** Starts the bridge; fails if Redis does not answer on `redisPort`. */
export async function startUpstashBridge(options: UpstashBridgeOptions): Promise<UpstashBridge> {
  const token = options.token ?? randomBytes(16).toString("hex");
  const redis = await connectRedis(options.redisPort);
  const counters = new BridgeCounters();
  const resetStats = async () => {
    counters.reset();
    await resetRedisStats(redis);
  };
  const countRedisCommands = () => redisCommandsExecuted(redis);

  const server = http.createServer(
    createRestHandler({
      redis,
      scripts: new LuaShebangRewriter(),
      counters,
      token,
      resetStats,
      redisCommandsExecuted: countRedisCommands,
    }),
  );
  // Clients reuse connections across a whole benchmark run; Node's 5 s default
  // would close idle ones between bursts.
  server.keepAliveTimeout = 60_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    redis.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    token,
    stats: () => counters.snapshot(),
    resetStats,
    redisCommandsExecuted: countRedisCommands,
    resetRedisStats: () => resetRedisStats(redis),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      redis.close();
      await closed;
    },
  };
}
