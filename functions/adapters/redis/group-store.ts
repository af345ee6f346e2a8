// GroupStore on Upstash Redis: a hash per group (spec, counts), a list of member
// task ids in index order. Counting happens in the finish script (scripts.ts).
import type { GroupRecord, GroupStore } from "../../core/groups.ts";
import type { RawRedis } from "./task-store.ts";
import { taskKeys, type TaskKeys } from "./keys.ts";
import { asDependencyError, runScript } from "./run-script.ts";
import { groupProgressScript } from "./scripts.ts";
import { SYSTEM_TENANT } from "../../core/task-record.ts";

const GROUP_TTL_S = 7 * 86400;

export class RedisGroupStore implements GroupStore {
  readonly #redis: RawRedis;
  readonly #keys: TaskKeys;

  constructor(redis: RawRedis, prefix: string) {
    this.#redis = redis;
    this.#keys = taskKeys(prefix);
  }

  async create(record: Parameters<GroupStore["create"]>[0]): Promise<void> {
    const key = this.#keys.group(record.id);
    const fields: Record<string, string | number> = {
      tenant: record.tenant, kind: record.kind, total: record.total, done: 0, submitted: 0, submit_errors: 0, created_at: record.createdAt,
      steps: JSON.stringify(record.steps), allow_partial: record.allowPartial ? 1 : 0,
      ...(record.callback ? { callback: JSON.stringify(record.callback) } : {}),
    };
    await this.#call(async () => {
      const p = this.#redis.pipeline();
      p.hset(key, fields);
      p.expire(key, GROUP_TTL_S);
      await p.exec();
    });
  }

  async get(id: string): Promise<GroupRecord | null> {
    const flat = (await this.#call(() => this.#redis.hgetall(this.#keys.group(id)))) as unknown as string[] | null;
    if (!flat || flat.length === 0) return null;
    const h = new Map<string, string>();
    for (let i = 0; i + 1 < flat.length; i += 2) h.set(flat[i]!, flat[i + 1]!);
    const n = (f: string) => Number(h.get(f) ?? 0);
    return {
      id,
      tenant: h.get("tenant") ?? SYSTEM_TENANT,
      kind: h.get("kind") as GroupRecord["kind"],
      total: n("total"), done: n("done"), succeeded: n("SUCCESS"), failed: n("FAILURE"), revoked: n("REVOKED"),
      submitted: n("submitted"), submitErrors: n("submit_errors"), cancelled: h.get("cancelled") === "1", createdAt: n("created_at"),
      steps: JSON.parse(h.get("steps") ?? "[]"),
      ...(h.get("callback") ? { callback: JSON.parse(h.get("callback")!) } : {}),
      allowPartial: h.get("allow_partial") === "1",
      ...(h.get("callback_task") ? { callbackTaskId: h.get("callback_task")! } : {}),
      ...(h.get("error") ? { error: h.get("error")! } : {}),
    };
  }

  async members(id: string, start: number, count: number): Promise<string[]> {
    if (count <= 0) return [];
    // Members are written by index (LSET-free): a hash index → task id keeps order under concurrency.
    const fields = Array.from({ length: count }, (_, i) => String(start + i));
    const values = (await this.#call(() => this.#redis.hmget(this.#keys.groupMembers(id), ...fields))) as unknown as (string | null)[] | null;
    return (values ?? []).filter((v): v is string => !!v);
  }

  async addMembers(id: string, entries: { index: number; taskId: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const key = this.#keys.groupMembers(id);
    await this.#call(async () => {
      const p = this.#redis.pipeline();
      p.hset(key, Object.fromEntries(entries.map((e) => [String(e.index), e.taskId])));
      p.expire(key, GROUP_TTL_S);
      await p.exec();
    });
  }

  async progress(id: string, submitted: number, submitErrors: number): Promise<void> {
    await runScript(this.#redis, groupProgressScript, [this.#keys.group(id)], [submitted, submitErrors]);
  }

  async remove(id: string): Promise<void> {
    await this.#call(() => this.#redis.del(this.#keys.group(id), this.#keys.groupMembers(id)));
  }

  async update(id: string, fields: Partial<Pick<GroupRecord, "callbackTaskId" | "error" | "cancelled">>): Promise<void> {
    const values: Record<string, string> = {};
    if (fields.callbackTaskId) values.callback_task = fields.callbackTaskId;
    if (fields.error) values.error = fields.error;
    if (fields.cancelled) values.cancelled = "1";
    if (Object.keys(values).length) await this.#call(() => this.#redis.hset(this.#keys.group(id), values));
  }

  async results(taskIds: string[]): Promise<unknown[]> {
    if (taskIds.length === 0) return [];
    const p = this.#redis.pipeline();
    for (const id of taskIds) p.hmget(this.#keys.task(id), "result");
    const rows = (await this.#call(() => p.exec())) as unknown as ((string | null)[] | null)[];
    return rows.map((row) => (row?.[0] ? JSON.parse(row[0]) : null));
  }

  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw asDependencyError(error);
    }
  }
}
