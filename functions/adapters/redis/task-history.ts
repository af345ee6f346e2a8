// TaskHistory on Upstash Redis: trims the dead-letter index (`<prefix>:failed`)
// and the FAILURE records it names, a bounded batch per call; the index sweep is
// the task store's (it knows every tenant's indexes).
import type { IndexSweepOptions, IndexSweepReport, TaskHistory, TaskStore } from "../../core/ports.ts";
import { runScript, type ScriptRedis } from "./run-script.ts";
import { purgeFailedScript } from "./maintenance-scripts.ts";
import { taskKeys } from "./keys.ts";

export class RedisTaskHistory implements TaskHistory {
  readonly #redis: ScriptRedis;
  readonly #keys: ReturnType<typeof taskKeys>;
  readonly #queueIndexPrefix: string;
  readonly #indexes: Pick<TaskStore, "sweepIndexes">;

  constructor(redis: ScriptRedis, prefix: string, indexes: Pick<TaskStore, "sweepIndexes">) {
    this.#redis = redis;
    this.#indexes = indexes;
    this.#keys = taskKeys(prefix);
    this.#queueIndexPrefix = this.#keys.indexPrefix;
  }

  async purgeFailed(beforeMs: number, batch: number): Promise<{ examined: number; recordsDeleted: number }> {
    const [examined, recordsDeleted] = (await runScript<number[]>(
      this.#redis, purgeFailedScript, [this.#keys.failed], [Math.floor(beforeMs), batch, this.#keys.taskPrefix, this.#queueIndexPrefix],
    )).map(Number) as [number, number];
    return { examined, recordsDeleted };
  }

  sweepIndexes(options: IndexSweepOptions): Promise<IndexSweepReport> {
    return this.#indexes.sweepIndexes(options);
  }
}
