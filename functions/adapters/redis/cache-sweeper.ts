// CacheSweeper on Upstash Redis: per page, one SCAN and one EVALSHA that
// judges the page's keys inside Redis (see maintenance-scripts.ts).
import type { Redis } from "@upstash/redis";
import type { CacheSweeper } from "../../tasks/cleanup/ports.ts";
import { asDependencyError, runScript } from "./run-script.ts";
import { sweepCacheScript, sweepQueryCacheScript } from "./maintenance-scripts.ts";
import { maintenanceKeys } from "./user-keys.ts";

export type SweepRedis = Pick<Redis, "evalsha" | "eval" | "scan">;

export class RedisCacheSweeper implements CacheSweeper {
  readonly #redis: SweepRedis;
  readonly #keys: ReturnType<typeof maintenanceKeys>;
  readonly #defaultMaxAgeMs: number;

  constructor(redis: SweepRedis, options: { prefix: string; defaultMaxAgeMs: number }) {
    this.#redis = redis;
    this.#keys = maintenanceKeys(options.prefix);
    this.#defaultMaxAgeMs = options.defaultMaxAgeMs;
  }

  async sweepCachePage(cursor: string, options: { count: number; now: number; maxAgeMs?: number }) {
    const page = await this.#scan(cursor, this.#keys.cachePattern, options.count);
    // The query namespace has its own policy (cleanup.query_cache): never judged here.
    const keys = page.keys.filter((key) => !key.startsWith(this.#keys.queryCachePrefix));
    const [removed, ttlGiven] = keys.length > 0
      ? (await runScript<number[]>(this.#redis, sweepCacheScript, keys, [options.now, options.maxAgeMs ?? this.#defaultMaxAgeMs])).map(Number) as [number, number]
      : [0, 0];
    return { cursor: page.cursor, scanned: keys.length, removed, ttlGiven };
  }

  async sweepQueryCachePage(cursor: string, options: { count: number; before: number }) {
    const page = await this.#scan(cursor, this.#keys.queryCachePattern, options.count);
    const [removed, malformed] = page.keys.length > 0
      ? (await runScript<number[]>(this.#redis, sweepQueryCacheScript, page.keys, [options.before])).map(Number) as [number, number]
      : [0, 0];
    return { cursor: page.cursor, scanned: page.keys.length, removed, malformed };
  }

  async #scan(cursor: string, match: string, count: number): Promise<{ cursor: string | null; keys: string[] }> {
    try {
      const [next, keys] = await this.#redis.scan(cursor, { match, count });
      return { cursor: String(next) === "0" ? null : String(next), keys };
    } catch (error) {
      throw asDependencyError(error);
    }
  }
}
