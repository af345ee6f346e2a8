// UserStore on Upstash Redis: a hash per user for totals and tier, a counter
// per user for today's submits (see user-keys.ts and user-scripts.ts).
import type { Redis } from "@upstash/redis";
import type { UserRecord, UserStore, UserTier } from "../../tasks/users/ports.ts";
import { asDependencyError, runScript } from "./run-script.ts";
import { recordUsageScript, setTierScript } from "./user-scripts.ts";
import { userKeys } from "./user-keys.ts";

/** A raw client (automaticDeserialization off): replies are the strings Redis sent. */
export type UserRedis = Pick<Redis, "evalsha" | "eval" | "hgetall" | "getdel" | "scan" | "unlink">;

/** How long a usage update's applied marker is kept: longer than any retry of the task. */
const USAGE_MARKER_TTL_S = 7 * 24 * 3600;

export class RedisUserStore implements UserStore {
  readonly tiers: readonly UserTier[];
  readonly #redis: UserRedis;
  readonly #keys: ReturnType<typeof userKeys>;
  readonly #now: () => number;

  constructor(redis: UserRedis, options: { prefix: string; tiers: readonly UserTier[]; now?: () => number }) {
    this.#redis = redis;
    this.#keys = userKeys(options.prefix);
    this.tiers = options.tiers;
    this.#now = options.now ?? Date.now;
  }

  async get(userId: string): Promise<UserRecord | null> {
    const flat = (await this.#call(() => this.#redis.hgetall(this.#keys.user(userId)))) as unknown as string[] | null;
    if (!flat || flat.length === 0) return null;
    const hash = new Map<string, string>();
    for (let i = 0; i + 1 < flat.length; i += 2) hash.set(flat[i]!, flat[i + 1]!);
    return toRecord(userId, [hash.get("queries"), hash.get("tokens"), hash.get("processing_ms"), hash.get("tier"), hash.get("daily_limit")]);
  }

  async recordUsage(userId: string, usage: { queries: number; tokens: number; processingMs: number }, onceKey: string) {
    const reply = await runScript<(string | number)[]>(
      this.#redis, recordUsageScript, [this.#keys.user(userId), this.#keys.usageApplied(onceKey)],
      [usage.queries, usage.tokens, usage.processingMs, this.#now(), USAGE_MARKER_TTL_S],
    );
    return { applied: Number(reply[0]) === 1, record: toRecord(userId, reply.slice(1).map(String)) };
  }

  async setTier(userId: string, tier: UserTier, basedOnQueries: number) {
    const reply = await runScript<(string | number)[]>(
      this.#redis, setTierScript, [this.#keys.user(userId)], [tier.name, tier.dailyLimit, basedOnQueries, this.#now()],
    );
    return { written: Number(reply[0]) === 1, previous: reply[1] ? String(reply[1]) : null };
  }

  async resetDailyCount(userId: string): Promise<{ used: number }> {
    const before = await this.#call(() => this.#redis.getdel<string>(this.#keys.quota(userId)));
    return { used: Number(before ?? 0) };
  }

  async resetDailyCountsPage(cursor: string, count: number) {
    const [next, keys] = await this.#call(() => this.#redis.scan(cursor, { match: this.#keys.quotaPattern, count }));
    // UNLINK frees memory off the main thread; it answers how many keys it removed.
    const reset = keys.length > 0 ? Number(await this.#call(() => this.#redis.unlink(...keys))) : 0;
    return { cursor: String(next) === "0" ? null : String(next), scanned: keys.length, reset };
  }

  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw asDependencyError(error);
    }
  }
}

/** queries, tokens, processing_ms, tier, daily_limit, as Redis holds them. */
function toRecord(userId: string, values: readonly (string | undefined)[]): UserRecord {
  const [queries, tokens, processingMs, tier, dailyLimit] = values;
  return {
    userId,
    queries: Number(queries || 0),
    tokens: Number(tokens || 0),
    processingMs: Number(processingMs || 0),
    tier: tier || null,
    dailyLimit: dailyLimit ? Number(dailyLimit) : null,
  };
}
