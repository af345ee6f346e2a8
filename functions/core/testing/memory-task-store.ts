// TaskStore in memory: the state machine of the Redis scripts (functions/adapters/redis/scripts.ts),
// one synchronous step per script, so unit tests of the core run without servers. The contract suite
// (test/contracts/task-store.contract.ts) runs against both; where they differ, the Lua is the truth.
// Time is the injected clock: leases, ETAs and record expiry follow it, never a timer.
import type {
  ClaimOutcome, CreateOutcome, FinishOutcome, FollowUpKind, IdempotencyKey, IndexSweepOptions, IndexSweepReport, ListFilter, Outcome, QueueCounts, RevokeOutcome, TaskOverview,
  TaskStore, WorkerHeartbeat, FinishedTask,
} from "../ports.ts";
import { isFinal, OUTCOME_MESSAGE, type TaskStatus } from "../states.ts";
import type { NewTask, TaskDetail, TaskError, TaskSummary } from "../task-record.ts";
import { MemoryGroupStore } from "./memory-group-store.ts";
import { MemoryIndex } from "./memory-index.ts";
import { newRecord, toDetail, toSummary, type MemoryTaskRecord } from "./memory-task-record.ts";
import { listTasks, countQueue } from "./memory-task-lists.ts";
import { MemoryRateLimiter } from "./memory-rate-limiter.ts";
import type { RateCharge } from "../rate-limit.ts";

// The same constants as the Redis adapter.
const IDEMPOTENCY_MIN_TTL_S = 24 * 3600;
const WORKER_VISIBLE_MS = 60_000;
const WORKER_FORGET_MS = 600_000;
/** A delivery this early before the ETA still runs (clock skew). */
const ETA_SKEW_MS = 1000;
const INDEX_SWEEP_REWIND_MS = 3600_000;

export interface MemoryTaskStoreOptions {
  /** The queues a list without a queue filter walks (as the Redis store). */
  queues: string[];
  /** Every tenant there is, for lists across tenants. */
  tenants: () => readonly string[];
  /** Default: Date.now. */
  now?: () => number;
  /** Where group members are counted; default: a store of its own. */
  groups?: MemoryGroupStore;
}

export class MemoryTaskStore implements TaskStore {
  readonly #records = new Map<string, MemoryTaskRecord>();
  readonly #idempotency = new Map<string, { value: string; expiresAt: number }>();
  readonly #indexes = new Map<string, MemoryIndex>();
  readonly #failed = new MemoryIndex();
  readonly #outbox = new MemoryIndex();
  /** Where the index sweep stopped in each index, as the Redis hash holds it. */
  readonly #sweepCursors = new Map<MemoryIndex, { from: string; rewound: number }>();
  readonly #stats = new Map<string, QueueCounts["totals"]>();
  readonly #workers = new Map<string, string>();
  readonly #now: () => number;
  readonly #options: MemoryTaskStoreOptions;
  readonly groups: MemoryGroupStore;
  /** Counts the charges create() and summary() are given, as the Redis scripts count them. */
  readonly rateLimiter: MemoryRateLimiter;

  constructor(options: MemoryTaskStoreOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.groups = options.groups ?? new MemoryGroupStore();
    this.rateLimiter = new MemoryRateLimiter(this.#now);
    this.groups.resultsFrom((id) => this.detail(id));
  }

  async create(task: NewTask, idempotency?: IdempotencyKey, rate?: RateCharge): Promise<CreateOutcome> {
    if (rate) this.rateLimiter.chargeNow(rate);
    if (idempotency) {
      const key = idempotencyKey(task.tenant, idempotency);
      const value = `${task.id} ${idempotency.fingerprint ?? ""}`;
      const idemTtl = IDEMPOTENCY_MIN_TTL_S + Math.ceil(Math.max(0, (task.eta ?? 0) - task.createdAt) / 1000);
      const existing = this.#liveIdempotency(key);
      const expiresAt = this.#now() + idemTtl * 1000;
      if (existing !== undefined) {
        const [, id = "", fingerprint = ""] = /^(\S+) ?(.*)$/.exec(existing) ?? [];
        const found = this.#record(id);
        if (found) {
          const reused = fingerprint !== "" && !!idempotency.fingerprint && fingerprint !== idempotency.fingerprint;
          if (!reused) found.replayed = true;
          return { created: false, existing: toSummary(found), reused };
        }
      }
      this.#idempotency.set(key, { value, expiresAt });
    }
    // HSET merges into a record that exists already; only the fields a submit writes are replaced.
    const previous = this.#record(task.id);
    const { lease: _lease, revoke: _revoke, resultAvailable: _result, redrives: _redrives, ...submitted } = newRecord(task);
    this.#records.set(task.id, previous ? { ...previous, ...submitted } : newRecord(task));
    this.#index(task.tenant, task.queue).add(task.id, task.createdAt);
    return { created: true };
  }

  async remove(task: Pick<NewTask, "id" | "queue" | "tenant">, idempotency?: IdempotencyKey): Promise<void> {
    if (this.#record(task.id)?.replayed) return;
    this.#records.delete(task.id);
    if (idempotency) this.#idempotency.delete(idempotencyKey(task.tenant, idempotency));
    this.#index(task.tenant, task.queue).remove(task.id);
  }

  async summary(id: string, rate?: RateCharge): Promise<TaskSummary | null> {
    if (rate) this.rateLimiter.chargeNow(rate);
    const record = this.#record(id);
    return record ? toSummary(record) : null;
  }

  async detail(id: string): Promise<TaskDetail | null> {
    const record = this.#record(id);
    return record ? toDetail(record) : null;
  }

  async claim(id: string, claim: { cloudTask: string; runId: string; leaseMs: number; workerId: string; heartbeat?: WorkerHeartbeat }): Promise<ClaimOutcome> {
    const r = this.#record(id);
    if (!r) return { kind: "missing" };
    if (isFinal(r.status)) return { kind: "final", status: r.status, pending: [...(r.outbox ?? [])] };
    const now = this.#now();
    const leased = r.status === "STARTED" && r.lease > now;
    // Another Cloud Task's delivery while a run holds the lease may be the next attempt's, written RETRY late: busy.
    if (leased) return { kind: "busy", leaseUntil: r.lease };
    if (r.cloudTask !== claim.cloudTask) {
      if (r.status === "RETRY" && r.retryFrom === claim.cloudTask) {
        return { kind: "retry", cloudTask: r.cloudTask, nextAttemptAt: r.nextAttemptAt ?? 0, type: r.type, priority: r.priority };
      }
      return { kind: "stale" };
    }
    // Due at its ETA, or a retry at the end of its backoff.
    const due = r.status === "RETRY" ? r.nextAttemptAt : r.eta;
    if (due !== undefined && due > now + ETA_SKEW_MS) return { kind: "early", eta: due };
    Object.assign(r, {
      status: "STARTED", attempts: r.attempts + 1, run: claim.runId, lease: now + Math.min(claim.leaseMs, r.leaseMs), startedAt: now, worker: claim.workerId,
    });
    if (claim.heartbeat) this.#workers.set(claim.workerId, JSON.stringify(claim.heartbeat));
    return {
      kind: "claimed", attempt: r.attempts, revokeRequested: r.revoke, priority: r.priority,
      ...(r.callbackUrl ? { callbackUrl: r.callbackUrl } : {}),
      ...(r.groupId ? { group: { id: r.groupId, index: r.groupIndex ?? 0 } } : {}),
      type: r.type, tenant: r.tenant, payload: r.payload,
    };
  }

  async progress(id: string, runId: string, percent: number, message: string, leaseMs: number): Promise<{ revokeRequested: boolean } | null> {
    const r = this.#record(id);
    if (!r || r.run !== runId || r.status !== "STARTED") return null;
    if (percent >= 0) Object.assign(r, { progress: percent, message });
    r.lease = this.#now() + leaseMs;
    return { revokeRequested: r.revoke };
  }

  async finish(id: string, runId: string, queue: string, outcome: Outcome, ttlSeconds: number, extra: { groupId?: string; followUps?: FollowUpKind[] } = {}): Promise<FinishOutcome> {
    const now = this.#now();
    const r = this.#record(id);
    if (!r || r.run !== runId || r.status !== "STARTED") return { owned: false, followUps: [], finishedAt: now };
    const totals = this.#totals(queue);
    if (outcome.status === "RETRY") {
      Object.assign(r, { status: "RETRY", lease: 0, message: OUTCOME_MESSAGE.RETRY, error: outcome.error, nextAttemptAt: outcome.nextAttemptAt, retryFrom: r.cloudTask, cloudTask: outcome.cloudTask });
      totals.RETRY += 1;
      return { owned: true, followUps: [], finishedAt: now };
    }
    const follow = [...(extra.followUps ?? [])];
    let group: { done: number; total: number } | undefined;
    if (extra.groupId) {
      const counted = this.groups.count(extra.groupId, outcome.status);
      group = { done: counted.done, total: counted.total };
      if (counted.kind === "chain") follow.push("chain");
      else if (counted.kind === "chord" && counted.done === counted.total) follow.push("chord");
    }
    r.status = outcome.status;
    r.message = OUTCOME_MESSAGE[outcome.status];
    r.lease = 0;
    r.finishedAt = now;
    if (outcome.status === "SUCCESS") {
      Object.assign(r, { result: outcome.result, resultAvailable: true, progress: 100 });
      delete r.error; // an earlier attempt's is over
    } else r.error = outcome.error;
    if (follow.length > 0) {
      r.outbox = follow;
      this.#outbox.add(id, now);
    }
    totals[outcome.status] += 1;
    r.expiresAt = now + ttlSeconds * 1000;
    if (outcome.status === "FAILURE") this.#failed.add(id, now);
    return { owned: true, ...(group ? { group } : {}), followUps: follow, finishedAt: now };
  }

  async unretry(id: string, nextCloudTask: string, currentCloudTask: string): Promise<boolean> {
    const r = this.#record(id);
    if (!r || r.status !== "RETRY" || r.cloudTask !== nextCloudTask) return false;
    r.cloudTask = currentCloudTask;
    return true;
  }

  async followUpsDone(id: string, done: FollowUpKind[]): Promise<FollowUpKind[]> {
    const r = this.#record(id);
    const left = (r?.outbox ?? []).filter((kind) => !done.includes(kind));
    if (r?.outbox && left.length > 0) {
      r.outbox = left;
      return [...left];
    }
    if (r) delete r.outbox;
    this.#outbox.remove(id);
    return [];
  }

  async finishedTask(id: string): Promise<{ task: FinishedTask; pending: FollowUpKind[] } | null> {
    const r = this.#record(id);
    if (!r || !isFinal(r.status)) return null;
    const outcome: FinishedTask["outcome"] = r.status === "SUCCESS"
      ? { status: r.status, result: r.result ?? "null" }
      : { status: r.status, error: r.error ? { ...r.error } : { type: "Unknown", message: "" } };
    return {
      task: {
        taskId: id, tenant: r.tenant, type: r.type, queue: r.queue, outcome, attempt: r.attempts, runId: r.run ?? "", finishedAt: r.finishedAt ?? 0,
        ...(r.callbackUrl ? { callbackUrl: r.callbackUrl } : {}),
        ...(r.groupId ? { group: { id: r.groupId, index: r.groupIndex ?? 0 } } : {}),
      },
      pending: [...(r.outbox ?? [])],
    };
  }

  async outboxDue(before: number, limit: number): Promise<string[]> {
    return this.#outbox.upTo(before, limit);
  }

  async outboxForget(id: string): Promise<void> {
    this.#outbox.remove(id);
  }

  async revoke(id: string, terminate: boolean, _ttlSeconds: number): Promise<RevokeOutcome> {
    const r = this.#record(id);
    if (!r) return { kind: "missing" };
    if (isFinal(r.status)) return { kind: "final", status: r.status };
    const now = this.#now();
    if (r.status === "STARTED" && r.lease > now) {
      if (!terminate) return { kind: "running" };
      r.revoke = true;
      return { kind: "signalled" };
    }
    // Queued, or STARTED by a worker that is gone: revoked here.
    Object.assign(r, { status: "REVOKED", revoke: true, lease: 0, finishedAt: now, message: OUTCOME_MESSAGE.REVOKED, error: { type: "TaskRevoked", message: "revoked by request" } });
    // Counted in its group as FINISH counts a member; its follow-ups go to the outbox, for the sweep.
    const follow: FollowUpKind[] = r.callbackUrl ? ["callback"] : [];
    if (r.groupId) {
      const counted = this.groups.count(r.groupId, "REVOKED");
      if (counted.kind === "chain") follow.push("chain");
      else if (counted.kind === "chord" && counted.done === counted.total) follow.push("chord");
    }
    if (follow.length > 0) {
      r.outbox = follow;
      this.#outbox.add(id, now);
    }
    // The record's own result ttl (the Redis script falls back to the argument for a record without one; here every record has it).
    r.expiresAt = now + r.ttl * 1000;
    this.#totals(r.queue).REVOKED += 1;
    return { kind: "revoked", cloudTask: r.cloudTask, queue: r.queue, priority: r.priority };
  }

  async redrive(id: string, cloudTask: string): Promise<{ ok: true; summary: TaskSummary } | { ok: false; status: TaskStatus | null }> {
    const r = this.#record(id);
    if (!r || r.status !== "FAILURE") return { ok: false, status: r?.status ?? null };
    Object.assign(r, { status: "PENDING", attempts: 0, cloudTask, progress: 0, message: "redriven", lease: 0, revoke: false, resultAvailable: false, redrives: r.redrives + 1 });
    for (const field of ["error", "result", "finishedAt", "nextAttemptAt", "run", "outbox", "expiresAt"] as const) delete r[field];
    this.#failed.remove(id);
    return { ok: true, summary: toSummary(r) };
  }

  async unredrive(id: string, cloudTask: string, error: TaskError, ttlSeconds: number): Promise<void> {
    const r = this.#record(id);
    if (!r || r.status !== "PENDING" || r.cloudTask !== cloudTask) return;
    const now = this.#now();
    Object.assign(r, { status: "FAILURE", finishedAt: now, error, message: "", expiresAt: now + ttlSeconds * 1000 });
    this.#failed.add(id, now);
  }

  async list(filter: ListFilter, limit: number, cursor?: string): Promise<{ tasks: TaskSummary[]; nextCursor: string | null }> {
    const everyone = filter.tenants === "*";
    const sources = everyone && filter.status === "FAILURE" ? [this.#failed] : this.#indexesOf(filter.tenants, filter.queue ? [filter.queue] : this.#options.queues);
    return listTasks(sources, (id) => this.#record(id), filter, limit, cursor);
  }

  /** SWEEP INDEXES (functions/adapters/redis/maintenance-scripts.ts), step for step. */
  async sweepIndexes(options: IndexSweepOptions): Promise<IndexSweepReport> {
    const now = this.#now();
    const horizon = now - options.minAgeMs;
    const rewind = options.rewindMs ?? INDEX_SWEEP_REWIND_MS;
    const report = { examined: 0, removed: 0, entries: 0 };
    for (const index of [...this.#indexesOf("*", this.#options.queues), this.#failed]) {
      let { from, rewound } = this.#sweepCursors.get(index) ?? { from: "-inf", rewound: now };
      const left = options.budget - report.examined;
      if (left > 0) {
        const page = index.between(from, horizon, left);
        for (const entry of page) {
          if (!this.#record(entry.id)) {
            index.remove(entry.id);
            report.removed += 1;
          }
        }
        report.examined += page.length;
        const last = page.at(-1);
        if (page.length < left) {
          if (now - rewound >= rewind) [from, rewound] = ["-inf", now];
          else if (last) from = String(last.score);
        } else if (page[0]!.score === last!.score) from = `(${last!.score}`;
        else from = String(last!.score);
        this.#sweepCursors.set(index, { from, rewound });
      }
      report.entries += index.size;
    }
    return report;
  }

  async queueCounts(queue: string): Promise<QueueCounts> {
    return countQueue(this.#indexesOf("*", [queue]), (id) => this.#record(id), { ...this.#totals(queue) }, this.#now());
  }

  async overview(filter: ListFilter, limit: number, cursor: string | undefined): Promise<TaskOverview> {
    const queues = Object.fromEntries(await Promise.all(this.#options.queues.map(async (queue) => [queue, await this.queueCounts(queue)] as const)));
    return { queues, page: await this.list(filter, limit, cursor), workers: await this.workers() };
  }

  async workers(): Promise<WorkerHeartbeat[]> {
    const now = this.#now();
    const live: WorkerHeartbeat[] = [];
    for (const [instance, json] of this.#workers) {
      const beat = JSON.parse(json) as WorkerHeartbeat;
      if (now - beat.lastSeen < WORKER_VISIBLE_MS) live.push(beat);
      else if (now - beat.lastSeen > WORKER_FORGET_MS) this.#workers.delete(instance);
    }
    return live.sort((a, b) => b.lastSeen - a.lastSeen);
  }

  async heartbeat(beat: WorkerHeartbeat): Promise<void> {
    this.#workers.set(beat.instance, JSON.stringify(beat));
  }

  /** The record, unless it expired (as a Redis key with a TTL, it is then gone). */
  #record(id: string): MemoryTaskRecord | undefined {
    const record = this.#records.get(id);
    if (record?.expiresAt !== undefined && record.expiresAt <= this.#now()) {
      this.#records.delete(id);
      return undefined;
    }
    return record;
  }

  #liveIdempotency(key: string): string | undefined {
    const entry = this.#idempotency.get(key);
    if (entry && entry.expiresAt <= this.#now()) this.#idempotency.delete(key);
    return entry && entry.expiresAt > this.#now() ? entry.value : undefined;
  }

  #index(tenant: string, queue: string): MemoryIndex {
    const key = JSON.stringify([tenant, queue]);
    let index = this.#indexes.get(key);
    if (!index) this.#indexes.set(key, (index = new MemoryIndex()));
    return index;
  }

  #indexesOf(tenants: readonly string[] | "*", queues: readonly string[]): MemoryIndex[] {
    const who = tenants === "*" ? this.#options.tenants() : tenants;
    return who.flatMap((tenant) => queues.map((queue) => this.#index(tenant, queue)));
  }

  #totals(queue: string): QueueCounts["totals"] {
    let totals = this.#stats.get(queue);
    if (!totals) this.#stats.set(queue, (totals = { SUCCESS: 0, FAILURE: 0, REVOKED: 0, RETRY: 0 }));
    return totals;
  }
}

/** One key per tenant, scope and key: a tuple, so "a:b"+"c" and "a"+"b:c" never meet. */
const idempotencyKey = (tenant: string, idempotency: IdempotencyKey) => JSON.stringify([tenant, idempotency.scope, idempotency.key]);
