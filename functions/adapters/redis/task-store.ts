// TaskStore on Upstash Redis (REST). One request to submit, one to claim, one
// to finish, one to poll, a caller's rate limit counted inside the submit and
// the poll: see scripts.ts for the atomic parts.
import type { Redis } from "@upstash/redis";
import { taskKeys, type TaskKeys } from "./keys.ts";
import { runScript, asDependencyError } from "./run-script.ts";
import { sweepIndexesScript } from "./maintenance-scripts.ts";
import { claimScript, finishScript, outboxDoneScript, progressScript, redriveScript, revokeScript, statusScript, submitScript, unredriveScript, unretryScript, unsubmitScript } from "./scripts.ts";
import { rateArguments } from "./rate-limiter.ts";
import { RateLimitedError, type RateCharge } from "../../core/rate-limit.ts";
import { parseFollowUps, type FinishedTask, type FollowUpKind } from "../../core/follow-ups.ts";
import type {
  ClaimOutcome, CreateOutcome, FinishOutcome, IdempotencyKey, IndexSweepOptions, IndexSweepReport, ListFilter, Outcome, QueueCounts, RevokeOutcome, TaskOverview, TaskStore, WorkerHeartbeat,
} from "../../core/ports.ts";
import { countSample, readOverview } from "./task-overview.ts";
import { decodeCursor, encodeCursor, LIST_START, mergeNewest, rangeMax, type ListPosition } from "../../core/list-cursor.ts";
import { SYSTEM_TENANT, type NewTask, type TaskDetail, type TaskError, type TaskSummary } from "../../core/task-record.ts";
import { isFinal, OUTCOME_MESSAGE, type TaskStatus } from "../../core/states.ts";
import type { Priority } from "../../core/queues.ts";

/** A raw client: automaticDeserialization off, so replies are the strings Redis sent. */
export type RawRedis = Pick<Redis, "evalsha" | "eval" | "hmget" | "hgetall" | "hset" | "hdel" | "zrange" | "zrem" | "del" | "pipeline">;

const SUMMARY_FIELDS = [
  "tenant", "type", "queue", "priority", "status", "progress", "message", "attempts", "max_attempts", "created_at",
  "eta", "started_at", "finished_at", "next_at", "has_result", "error", "ct", "callback", "group",
] as const;

const IDEMPOTENCY_MIN_TTL_S = 24 * 3600;
/** How long after the caller's clock a submit may still write: inside the request's deadline. */
const DEFAULT_SUBMIT_DEADLINE_MS = 1_900;
const WORKER_VISIBLE_MS = 60_000;
const WORKER_FORGET_MS = 600_000;
const QUEUE_SAMPLE = 1000;
/** The index sweep looks again at the entries it found live (behind its cursor) once per this long, by default. */
const INDEX_SWEEP_REWIND_MS = 3600_000;

export class RedisTaskStore implements TaskStore {
  readonly #redis: RawRedis;
  readonly #keys: TaskKeys;
  readonly #now: () => number;
  readonly #queues: string[];
  readonly #tenants: () => readonly string[];
  readonly #submitDeadlineMs: number;
  readonly #prefix: string;

  /**
   * queues: those whose indexes a list walks (an index per tenant and queue; KEYS is never used).
   * tenants: every tenant there is (from the API keys, and the system's), for lists across tenants.
   * submitDeadlineMs: a submit reaching Redis later than this after it was sent writes nothing (its caller gave up).
   */
  constructor(redis: RawRedis, options: { prefix: string; queues: string[]; tenants: () => readonly string[]; submitDeadlineMs?: number; now?: () => number }) {
    this.#redis = redis;
    this.#submitDeadlineMs = options.submitDeadlineMs ?? DEFAULT_SUBMIT_DEADLINE_MS;
    this.#queues = options.queues;
    this.#tenants = options.tenants;
    this.#keys = taskKeys(options.prefix);
    this.#prefix = options.prefix;
    this.#now = options.now ?? Date.now;
  }

  async create(task: NewTask, idempotency?: IdempotencyKey, rate?: RateCharge): Promise<CreateOutcome> {
    const fields: (string | number)[] = [
      "tenant", task.tenant, "type", task.type, "queue", task.queue, "priority", task.priority, "status", task.status,
      "progress", 0, "message", "", "attempts", 0, "max_attempts", task.maxAttempts,
      "created_at", task.createdAt, "ttl", task.resultTtlSeconds, "lease_ms", task.leaseMs, "ct", task.cloudTask, "payload", task.payload,
    ];
    if (task.eta) fields.push("eta", task.eta);
    if (task.callbackUrl) fields.push("callback", task.callbackUrl);
    if (task.groupId) fields.push("group", task.groupId, "group_index", task.groupIndex ?? 0);
    const idemTtl = IDEMPOTENCY_MIN_TTL_S + Math.ceil(Math.max(0, (task.eta ?? 0) - task.createdAt) / 1000);
    const now = this.#now();
    const limit = rateArguments(this.#prefix, rate, now);
    const reply = await runScript<[number, string?]>(
      this.#redis, submitScript,
      [this.#keys.task(task.id), idempotency ? this.#idempotencyKey(task.tenant, idempotency) : "", this.#keys.index(task.tenant, task.queue), ...limit.keys],
      [task.id, task.createdAt, idemTtl, this.#keys.taskPrefix, idempotency?.fingerprint ?? "", now + this.#submitDeadlineMs, ...limit.args, ...fields],
    );
    if (Number(reply[0]) === 1) return { created: true };
    if (Number(reply[0]) === 3) throw asDependencyError(new Error("the submit reached Redis after its deadline; nothing was written"));
    if (Number(reply[0]) === 4) throw new RateLimitedError(rate!, Number(reply[1]));
    const existing = await this.summary(String(reply[1]));
    if (!existing) throw asDependencyError(new Error("the task named by the idempotency key vanished"));
    return { created: false, existing, reused: Number(reply[0]) === 2 };
  }

  async remove(task: Pick<NewTask, "id" | "queue" | "tenant">, idempotency?: IdempotencyKey): Promise<void> {
    const idempotencyKey = idempotency ? this.#idempotencyKey(task.tenant, idempotency) : "";
    await runScript(this.#redis, unsubmitScript, [this.#keys.task(task.id), this.#keys.index(task.tenant, task.queue), idempotencyKey], [task.id]);
  }

  #idempotencyKey(tenant: string, idempotency: IdempotencyKey): string {
    return this.#keys.idempotency(tenant, idempotency.scope, idempotency.key);
  }

  async summary(id: string, rate?: RateCharge): Promise<TaskSummary | null> {
    if (!rate) {
      const values = await this.#call(() => this.#redis.hmget(this.#keys.task(id), ...SUMMARY_FIELDS)) as unknown as (string | null)[] | null;
      return values ? toSummary(id, values) : null;
    }
    const limit = rateArguments(this.#prefix, rate, this.#now());
    const [verdict, ...values] = await runScript<[number, ...(string | null)[]]>(this.#redis, statusScript, [this.#keys.task(id), ...limit.keys], [...limit.args, ...SUMMARY_FIELDS]);
    if (Number(verdict) === 4) throw new RateLimitedError(rate, Number(values[0]));
    return toSummary(id, values);
  }

  async detail(id: string): Promise<TaskDetail | null> {
    const flat = await this.#call(() => this.#redis.hgetall(this.#keys.task(id))) as unknown as string[] | null;
    if (!flat || flat.length === 0) return null;
    const hash = new Map<string, string>();
    for (let i = 0; i + 1 < flat.length; i += 2) hash.set(flat[i]!, flat[i + 1]!);
    const summary = toSummary(id, SUMMARY_FIELDS.map((f) => hash.get(f) ?? null));
    if (!summary) return null;
    return { ...summary, ...optional("payload", hash.get("payload")), ...optional("result", hash.get("result")) };
  }

  async claim(id: string, claim: { cloudTask: string; runId: string; leaseMs: number; workerId: string; heartbeat?: WorkerHeartbeat }): Promise<ClaimOutcome> {
    const reply = await runScript<string[]>(
      this.#redis, claimScript, [this.#keys.task(id), this.#keys.workers],
      [claim.cloudTask, claim.runId, this.#now(), claim.leaseMs, claim.workerId, claim.heartbeat ? JSON.stringify(claim.heartbeat) : ""],
    );
    switch (reply[0]) {
      case "claimed":
        return {
          kind: "claimed", attempt: Number(reply[1]), revokeRequested: reply[2] === "1", priority: (reply[3] ?? "normal") as Priority,
          ...(reply[4] ? { callbackUrl: reply[4] } : {}),
          ...(reply[5] ? { group: { id: reply[5], index: Number(reply[6] ?? 0) } } : {}),
          type: String(reply[7] ?? ""), tenant: String(reply[8] ?? SYSTEM_TENANT), payload: String(reply[9] ?? "{}"),
        };
      case "early":
        return { kind: "early", eta: Number(reply[1]) };
      case "final":
        return { kind: "final", status: reply[1] as TaskStatus, pending: parseFollowUps(reply[2]) };
      case "busy":
        return { kind: "busy", leaseUntil: Number(reply[1]) };
      case "stale":
        return { kind: "stale" };
      case "retry":
        return { kind: "retry", cloudTask: String(reply[1]), nextAttemptAt: Number(reply[2]), type: String(reply[3] ?? ""), priority: (reply[4] ?? "normal") as Priority };
      default:
        return { kind: "missing" };
    }
  }

  async progress(id: string, runId: string, percent: number, message: string, leaseMs: number): Promise<{ revokeRequested: boolean } | null> {
    const reply = await runScript<number>(this.#redis, progressScript, [this.#keys.task(id)], [runId, percent, message, this.#now() + leaseMs]);
    return Number(reply) < 0 ? null : { revokeRequested: Number(reply) === 1 };
  }

  async finish(id: string, runId: string, queue: string, outcome: Outcome, ttlSeconds: number, extra: { groupId?: string; followUps?: FollowUpKind[] } = {}): Promise<FinishOutcome> {
    const now = this.#now();
    const fields: (string | number)[] = ["message", OUTCOME_MESSAGE[outcome.status]];
    switch (outcome.status) {
      case "SUCCESS":
        // "error": an earlier attempt's is over (emptied in the same write: no command of its own).
        fields.push("result", outcome.result, "has_result", 1, "progress", 100, "finished_at", now, "error", "");
        break;
      case "FAILURE":
      case "REVOKED":
        fields.push("error", JSON.stringify(outcome.error), "finished_at", now);
        break;
      case "RETRY":
        fields.push("error", JSON.stringify(outcome.error), "next_at", outcome.nextAttemptAt, "ct", outcome.cloudTask);
        break;
    }
    const reply = await runScript<number | [number, number, number, string]>(
      this.#redis, finishScript,
      [this.#keys.task(id), this.#keys.queueStats(queue), this.#keys.failed, extra.groupId ? this.#keys.group(extra.groupId) : "", this.#keys.outbox],
      [runId, outcome.status, now, ttlSeconds, id, (extra.followUps ?? []).join(","), ...fields],
    );
    if (!Array.isArray(reply)) return { owned: false, followUps: [], finishedAt: now };
    return {
      owned: true,
      ...(extra.groupId && outcome.status !== "RETRY" ? { group: { done: Number(reply[1]), total: Number(reply[2]) } } : {}),
      followUps: parseFollowUps(reply[3]),
      finishedAt: now,
    };
  }

  async unretry(id: string, nextCloudTask: string, currentCloudTask: string): Promise<boolean> {
    return Number(await runScript<number>(this.#redis, unretryScript, [this.#keys.task(id)], [nextCloudTask, currentCloudTask])) === 1;
  }

  async followUpsDone(id: string, done: FollowUpKind[]): Promise<FollowUpKind[]> {
    return parseFollowUps(await runScript<string>(this.#redis, outboxDoneScript, [this.#keys.task(id), this.#keys.outbox], [id, ...done]));
  }

  async finishedTask(id: string): Promise<{ task: FinishedTask; pending: FollowUpKind[] } | null> {
    const fields = ["status", "type", "queue", "result", "error", "attempts", "run", "finished_at", "callback", "group", "group_index", "outbox", "tenant"] as const;
    const v = await this.#call(() => this.#redis.hmget(this.#keys.task(id), ...fields)) as unknown as (string | null)[] | null;
    if (!v) return null;
    const [status, type, queue, result, error, attempts, run, finishedAt, callback, group, groupIndex, outbox, tenant] = v;
    if (!status || !isFinal(status)) return null;
    const outcome: FinishedTask["outcome"] = status === "SUCCESS"
      ? { status, result: result ?? "null" }
      : { status, error: error ? (JSON.parse(error) as TaskError) : { type: "Unknown", message: "" } };
    return {
      task: {
        taskId: id, tenant: tenant ?? SYSTEM_TENANT, type: type ?? "", queue: queue ?? "", outcome, attempt: Number(attempts ?? 0), runId: run ?? "", finishedAt: Number(finishedAt ?? 0),
        ...(callback ? { callbackUrl: callback } : {}),
        ...(group ? { group: { id: group, index: Number(groupIndex ?? 0) } } : {}),
      },
      pending: parseFollowUps(outbox),
    };
  }

  async outboxDue(before: number, limit: number): Promise<string[]> {
    return await this.#call(() => this.#redis.zrange(this.#keys.outbox, "-inf", before, { byScore: true, offset: 0, count: limit })) as unknown as string[];
  }

  async outboxForget(id: string): Promise<void> {
    await this.#call(() => this.#redis.zrem(this.#keys.outbox, id));
  }

  async revoke(id: string, terminate: boolean, ttlSeconds: number): Promise<RevokeOutcome> {
    const reply = await runScript<string[]>(
      this.#redis, revokeScript, [this.#keys.task(id), this.#keys.outbox],
      [terminate ? "1" : "0", this.#now(), ttlSeconds, JSON.stringify({ type: "TaskRevoked", message: "revoked by request" }), this.#keys.queueStats(""), this.#keys.group(""), id],
    );
    switch (reply[0]) {
      case "revoked":
        return { kind: "revoked", cloudTask: String(reply[1]), queue: String(reply[2]), priority: (reply[3] ?? "normal") as Priority };
      case "signalled":
        return { kind: "signalled" };
      case "running":
        return { kind: "running" };
      case "final":
        return { kind: "final", status: reply[1] as TaskStatus };
      default:
        return { kind: "missing" };
    }
  }

  async redrive(id: string, cloudTask: string) {
    const reply = await runScript<[number, string?]>(this.#redis, redriveScript, [this.#keys.task(id), this.#keys.failed], [id, cloudTask, this.#now()]);
    if (Number(reply[0]) !== 1) return { ok: false as const, status: (reply[1] || null) as TaskStatus | null };
    const summary = await this.summary(id);
    if (!summary) return { ok: false as const, status: null };
    return { ok: true as const, summary };
  }

  async unredrive(id: string, cloudTask: string, error: TaskError, ttlSeconds: number): Promise<void> {
    await runScript(this.#redis, unredriveScript, [this.#keys.task(id), this.#keys.failed], [id, cloudTask, this.#now(), ttlSeconds, JSON.stringify(error)]);
  }

  async list(filter: ListFilter, limit: number, cursor?: string): Promise<{ tasks: TaskSummary[]; nextCursor: string | null }> {
    // The tenant filter is the choice of indexes: each holds one tenant's tasks of one queue.
    const everyone = filter.tenants === "*";
    const sources = everyone && filter.status === "FAILURE" ? [this.#keys.failed] : this.#indexes(filter.tenants, filter.queue ? [filter.queue] : this.#queues);
    let position = decodeCursor(cursor);
    const found: TaskSummary[] = [];
    // Walk the indexes newest first, a page at a time, until the filter is satisfied.
    for (let round = 0; round < 20 && found.length < limit; round += 1) {
      const page = await this.#newest(sources, position, 200);
      if (page.length === 0) return { tasks: found, nextCursor: null };
      const summaries = await this.#summaries(page.map((entry) => entry.id));
      const expired: typeof page = [];
      for (const [i, entry] of page.entries()) {
        position = entry;
        const summary = summaries[i];
        if (!summary) {
          expired.push(entry);
          continue;
        }
        if (filter.status && summary.status !== filter.status) continue;
        if (filter.queue && summary.queue !== filter.queue) continue;
        if (filter.type && summary.type !== filter.type) continue;
        found.push(summary);
        if (found.length === limit) break;
      }
      await this.#forget(expired);
    }
    return { tasks: found, nextCursor: encodeCursor(position) };
  }

  async sweepIndexes(options: IndexSweepOptions): Promise<IndexSweepReport> {
    const now = this.#now();
    const [examined, removed, entries] = (await runScript<number[]>(
      this.#redis, sweepIndexesScript, [this.#keys.indexSweep, ...this.#indexes("*", this.#queues), this.#keys.failed],
      [now - options.minAgeMs, options.budget, this.#keys.taskPrefix, now, options.rewindMs ?? INDEX_SWEEP_REWIND_MS],
    )).map(Number) as [number, number, number];
    return { examined, removed, entries };
  }

  /** Index entries a list found without their record: the record expired (or was deleted), so the entry goes too. */
  async #forget(entries: { id: string; source: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.#redis.pipeline();
    for (const entry of entries) pipeline.zrem(entry.source, entry.id);
    await this.#call(() => pipeline.exec());
  }

  async queueCounts(queue: string): Promise<QueueCounts> {
    const [totalsFlat, newest] = await Promise.all([
      this.#call(() => this.#redis.hgetall(this.#keys.queueStats(queue))) as unknown as Promise<string[] | null>,
      this.#newest(this.#indexes("*", [queue]), LIST_START, QUEUE_SAMPLE),
    ]);
    return countSample(totalsFlat, await this.#summaries(newest.map((entry) => entry.id)), this.#now());
  }

  async workers(): Promise<WorkerHeartbeat[]> {
    const flat = await this.#call(() => this.#redis.hgetall(this.#keys.workers)) as unknown as string[] | null;
    const now = this.#now();
    const live: WorkerHeartbeat[] = [];
    const forget: string[] = [];
    for (let i = 0; flat && i + 1 < flat.length; i += 2) {
      const beat = JSON.parse(flat[i + 1]!) as WorkerHeartbeat;
      if (now - beat.lastSeen < WORKER_VISIBLE_MS) live.push(beat);
      else if (now - beat.lastSeen > WORKER_FORGET_MS) forget.push(flat[i]!);
    }
    if (forget.length) await this.#call(() => this.#redis.hdel(this.#keys.workers, ...forget));
    return live.sort((a, b) => b.lastSeen - a.lastSeen);
  }

  async overview(filter: ListFilter, limit: number, cursor: string | undefined, sample: number): Promise<TaskOverview> {
    return this.#call(() => readOverview({
      redis: this.#redis, now: this.#now(), queues: this.#queues,
      statsKey: (queue) => this.#keys.queueStats(queue), workersKey: this.#keys.workers,
      queueIndexes: (queue) => this.#indexes("*", [queue]),
      listSources: (f) => (f.tenants === "*" && f.status === "FAILURE" ? [this.#keys.failed] : this.#indexes(f.tenants, f.queue ? [f.queue] : this.#queues)),
      summaryFields: SUMMARY_FIELDS, toSummary, taskKey: (id) => this.#keys.task(id),
      list: (f, l, c) => this.list(f, l, c),
    }, filter, limit, cursor, sample));
  }

  async heartbeat(beat: WorkerHeartbeat): Promise<void> {
    await this.#call(() => this.#redis.hset(this.#keys.workers, { [beat.instance]: JSON.stringify(beat) }));
  }

  /** The index keys of these tenants' tasks on these queues. */
  #indexes(tenants: readonly string[] | "*", queues: readonly string[]): string[] {
    const who = tenants === "*" ? this.#tenants() : tenants;
    return who.flatMap((tenant) => queues.map((queue) => this.#keys.index(tenant, queue)));
  }

  async #newest(indexes: string[], after: ListPosition, count: number): Promise<{ id: string; score: number; source: string }[]> {
    const pages = await this.#call(() =>
      Promise.all(indexes.map((index) => this.#redis.zrange(index, rangeMax(after), "-inf", { byScore: true, rev: true, withScores: true, offset: 0, count }))),
    ) as unknown as string[][];
    return mergeNewest(pages.map((page, p) => indexEntries(page, indexes[p]!)), after, count).entries;
  }

  async #summaries(ids: string[]): Promise<(TaskSummary | null)[]> {
    if (ids.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const id of ids) pipeline.hmget(this.#keys.task(id), ...SUMMARY_FIELDS);
    const rows = await this.#call(() => pipeline.exec()) as unknown as ((string | null)[] | null)[];
    return rows.map((row, i) => (row ? toSummary(ids[i]!, row) : null));
  }

  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw asDependencyError(error);
    }
  }
}

/** A ZRANGE … WITHSCORES reply as index entries. */
function indexEntries(reply: readonly string[], source: string): { id: string; score: number; source: string }[] {
  const entries: { id: string; score: number; source: string }[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) entries.push({ id: reply[i]!, score: Number(reply[i + 1]), source });
  return entries;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function toSummary(id: string, values: readonly (string | null)[]): TaskSummary | null {
  const get = (field: (typeof SUMMARY_FIELDS)[number]) => values[SUMMARY_FIELDS.indexOf(field)] ?? null;
  const status = get("status");
  if (!status) return null;
  const num = (field: (typeof SUMMARY_FIELDS)[number]) => {
    const value = get(field);
    return value === null || value === "" ? undefined : Number(value);
  };
  const error = get("error");
  return {
    id,
    tenant: get("tenant") ?? SYSTEM_TENANT,
    type: get("type") ?? "",
    queue: get("queue") ?? "",
    priority: (get("priority") ?? "normal") as Priority,
    status: status as TaskStatus,
    progress: num("progress") ?? 0,
    message: get("message") ?? "",
    attempts: num("attempts") ?? 0,
    maxAttempts: num("max_attempts") ?? 0,
    createdAt: num("created_at") ?? 0,
    resultAvailable: get("has_result") === "1",
    cloudTask: get("ct") ?? id,
    ...defined("eta", num("eta")),
    ...defined("startedAt", num("started_at")),
    ...defined("finishedAt", num("finished_at")),
    ...defined("nextAttemptAt", num("next_at")),
    ...(error ? { error: JSON.parse(error) } : {}),
    ...defined("callbackUrl", get("callback") ?? undefined),
    ...defined("groupId", get("group") ?? undefined),
  };
}

function defined<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
