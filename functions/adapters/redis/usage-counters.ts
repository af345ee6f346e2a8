// Usage counters the platform keeps: per-queue outcome totals (written by the finish script).
import type { UsageCounters } from "../../core/ports.ts";
import type { RawRedis } from "./task-store.ts";
import { taskKeys } from "./keys.ts";
import { asDependencyError } from "./run-script.ts";

export class RedisUsageCounters implements UsageCounters {
  readonly #redis: RawRedis;
  readonly #keys: ReturnType<typeof taskKeys>;
  readonly #queues: () => string[];

  constructor(redis: RawRedis, prefix: string, queues: () => string[]) {
    this.#redis = redis;
    this.#keys = taskKeys(prefix);
    this.#queues = queues;
  }

  async snapshot(): Promise<{ queues: Record<string, Record<string, number>> }> {
    const names = this.#queues();
    let rows: (string[] | null)[];
    try {
      rows = (await Promise.all(names.map((q) => this.#redis.hgetall(this.#keys.queueStats(q))))) as unknown as (string[] | null)[];
    } catch (error) {
      throw asDependencyError(error);
    }
    const queues: Record<string, Record<string, number>> = {};
    names.forEach((name, i) => {
      const flat = rows[i] ?? [];
      const counts: Record<string, number> = {};
      for (let j = 0; j + 1 < flat.length; j += 2) counts[flat[j]!] = Number(flat[j + 1]);
      queues[name] = counts;
    });
    return { queues };
  }
}
