// The narrow interfaces the core depends on. Adapters implement them; only
// functions/composition.ts picks which.
import type { TaskDetail, NewTask, TaskSummary, TaskError } from "./task-record.ts";
import type { TaskStatus } from "./states.ts";
import type { Priority } from "./queues.ts";
import type { RateCharge } from "./rate-limit.ts";
import type { Imaging } from "./imaging.ts";
import type { RemoteFiles } from "./remote-files.ts";

export type { Imaging } from "./imaging.ts";
export type { RemoteFiles } from "./remote-files.ts";

export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
  /** Whether a line at this level is written (pino's); lets a lazy child skip building itself for a disabled level. */
  isLevelEnabled?(level: "debug" | "info" | "warn" | "error"): boolean;
}

/** reused: the idempotency key named a task made by a different request (409, not a replay). */
export type CreateOutcome = { created: true } | { created: false; existing: TaskSummary; reused: boolean };

/** An idempotency key: per tenant and scope (the route, or a platform follow-up kind). */
export interface IdempotencyKey {
  scope: string;
  key: string;
  /** Digest of the request that used the key first; another request with the same key is a conflict. Absent: any request replays. */
  fingerprint?: string;
}

export type ClaimOutcome =
  | {
    kind: "claimed"; attempt: number; revokeRequested: boolean; priority: Priority; callbackUrl?: string; group?: { id: string; index: number };
    /** What runs is what the record holds (type, payload as stored, tenant), never what the delivery said. */
    type: string; tenant: string; payload: string;
  }
  /** Delivered before its ETA: comes back then. */
  | { kind: "early"; eta: number }
  /** The Cloud Task that wrote RETRY, delivered again: make sure the next attempt's exists; run nothing. */
  | { kind: "retry"; cloudTask: string; nextAttemptAt: number; type: string; priority: Priority }
  /** No record: expired long ago, or never written. */
  | { kind: "missing" }
  /** Already SUCCESS/FAILURE/REVOKED: a duplicate delivery; `pending`: follow-ups not yet carried out. */
  | { kind: "final"; status: TaskStatus; pending: FollowUpKind[] }
  /** The delivery is for an older Cloud Task than the record's current one. */
  | { kind: "stale" }
  /** Another delivery holds the lease until `leaseUntil`. */
  | { kind: "busy"; leaseUntil: number };

export type Outcome =
  | { status: "SUCCESS"; result: string }
  | { status: "FAILURE"; error: TaskError }
  | { status: "REVOKED"; error: TaskError }
  | { status: "RETRY"; error: TaskError; nextAttemptAt: number; cloudTask: string };

/**
 * owned: false when fenced off; group: the member count after this one, for group members reaching a final state;
 * followUps: those recorded with the final state (the caller's and the group's), to carry out now.
 */
export interface FinishOutcome {
  owned: boolean;
  group?: { done: number; total: number };
  followUps: FollowUpKind[];
  finishedAt: number;
}

export type RevokeOutcome =
  | { kind: "revoked"; cloudTask: string; queue: string; priority: Priority }
  | { kind: "signalled" }
  | { kind: "running" }
  | { kind: "final"; status: TaskStatus }
  | { kind: "missing" };

export interface ListFilter {
  status?: TaskStatus;
  queue?: string;
  type?: string;
  /** Whose tasks: these tenants', or every tenant's ("*"). */
  tenants: readonly string[] | "*";
}

export interface WorkerHeartbeat {
  instance: string;
  lastSeen: number;
  startedAt: number;
  running: string[];
  revision: string;
}

export interface QueueCounts {
  /** Cumulative outcomes. */
  totals: Record<"SUCCESS" | "FAILURE" | "REVOKED" | "RETRY", number>;
  /** Live tasks among the queue's recent ones, by state. */
  live: Record<"PENDING" | "SCHEDULED" | "STARTED" | "RETRY", number>;
  /** Over the recent tasks sampled: mean seconds from created to started, and started to finished. */
  meanWaitSeconds: number | null;
  meanRunSeconds: number | null;
  finishedLastMinute: number;
  sampled: number;
}

// The outbox (functions/core/follow-ups.ts): what follows a final state, recorded with it.
export const FollowUpKind = ["event", "callback", "chain", "chord"] as const;
export type FollowUpKind = (typeof FollowUpKind)[number];

export type FinalOutcome = Exclude<Outcome, { status: "RETRY" }>;

/** A task in a final state, as its follow-ups need it (read back from the record by a redelivery or the sweep). */
export interface FinishedTask {
  taskId: string;
  /** Whose task: its callback and follow-up tasks are that tenant's too. */
  tenant: string;
  type: string;
  queue: string;
  outcome: FinalOutcome;
  attempt: number;
  /** The run that wrote the final state: follow-up ids derive from it. */
  runId: string;
  finishedAt: number;
  callbackUrl?: string;
  group?: { id: string; index: number };
}

export interface OutboxStore {
  /** Marks follow-ups done; answers those still pending. */
  followUpsDone(id: string, done: FollowUpKind[]): Promise<FollowUpKind[]>;
  /** A final task with the follow-ups still pending; null when its record is gone or not final. */
  finishedTask(id: string): Promise<{ task: FinishedTask; pending: FollowUpKind[] } | null>;
  /** Ids of tasks whose follow-ups were recorded before `before` (ms) and are not all done, oldest first. */
  outboxDue(before: number, limit: number): Promise<string[]>;
  /** Forgets an outbox entry whose record is gone. */
  outboxForget(id: string): Promise<void>;
}

/** One run of the index sweep (TaskStore.sweepIndexes). */
export interface IndexSweepReport {
  /** Index entries looked at. */
  examined: number;
  /** Entries removed: their record had expired (or was deleted). */
  removed: number;
  /** Entries left in the indexes swept: the tasks that live, and entries not yet old enough to look at. */
  entries: number;
}

export interface IndexSweepOptions {
  /** Entries younger than this (by their index's score: creation time, or finish time for the dead letters) are not looked at yet. */
  minAgeMs: number;
  /** Most entries looked at in this run, over all indexes. */
  budget: number;
  /** Entries found live stay behind the walk; it starts over from the oldest once per this long. Default one hour. */
  rewindMs?: number;
}

export interface OutboxSweepReport {
  examined: number;
  completed: number;
  failed: number;
  forgotten: number;
}

/** Task records, atomically (Lua in Redis). Every write is fenced: see the adapter's scripts. */
export interface TaskStore extends OutboxStore {
  /** rate: the caller's rate limit, counted in the same call; over it, RateLimitedError and nothing written. */
  create(task: NewTask, idempotency?: IdempotencyKey, rate?: RateCharge): Promise<CreateOutcome>;
  /** Undoes create() when the task could not be enqueued. */
  remove(task: Pick<NewTask, "id" | "queue" | "tenant">, idempotency?: IdempotencyKey): Promise<void>;
  /** rate: as create's (a status poll's count rides on its read). */
  summary(id: string, rate?: RateCharge): Promise<TaskSummary | null>;
  detail(id: string): Promise<TaskDetail | null>;
  claim(id: string, claim: { cloudTask: string; runId: string; leaseMs: number; workerId: string; heartbeat?: WorkerHeartbeat }): Promise<ClaimOutcome>;
  /**
   * Writes progress (a negative percent only reads), renews the run's lease for leaseMs, and returns whether a revoke
   * was requested, or null when the run no longer owns the task.
   */
  progress(id: string, runId: string, percent: number, message: string, leaseMs: number): Promise<{ revokeRequested: boolean } | null>;
  /** owned false when the run no longer owns the task (fenced); a final state records its follow-ups with it. */
  finish(id: string, runId: string, queue: string, outcome: Outcome, ttlSeconds: number, extra?: { groupId?: string; followUps?: FollowUpKind[] }): Promise<FinishOutcome>;
  /** Undoes the Cloud Task name a RETRY wrote when its Cloud Task could not be enqueued: the current one carries the next attempt. */
  unretry(id: string, nextCloudTask: string, currentCloudTask: string): Promise<boolean>;
  revoke(id: string, terminate: boolean, ttlSeconds: number): Promise<RevokeOutcome>;
  /** FAILURE → PENDING with a fresh attempt budget, carried by a new Cloud Task (enqueued after). */
  redrive(id: string, cloudTask: string): Promise<{ ok: true; summary: TaskSummary } | { ok: false; status: TaskStatus | null }>;
  /** Undoes redrive() when its Cloud Task could not be enqueued. */
  unredrive(id: string, cloudTask: string, error: TaskError, ttlSeconds: number): Promise<void>;
  /** Newest first; an index entry found without its record (expired) is removed as it is passed. */
  list(filter: ListFilter, limit: number, cursor?: string): Promise<{ tasks: TaskSummary[]; nextCursor: string | null }>;
  /**
   * Removes the entries of every tenant's queue indexes and of the dead-letter index whose record expired, a bounded
   * batch, so that the indexes hold what lives and not all history (run every minute by platform.outbox_sweep).
   */
  sweepIndexes(options: IndexSweepOptions): Promise<IndexSweepReport>;
  /** Counts over every tenant's recent tasks of the queue. */
  queueCounts(queue: string): Promise<QueueCounts>;
  workers(): Promise<WorkerHeartbeat[]>;
  /**
   * What the console shows on one refresh, in as few round trips as the store can: every queue's counts
   * (over its `sample` newest tasks), the page list() would answer, the live workers.
   */
  overview(filter: ListFilter, limit: number, cursor: string | undefined, sample: number): Promise<TaskOverview>;
  heartbeat(beat: WorkerHeartbeat): Promise<void>;
}

export interface TaskOverview {
  /** By queue name. */
  queues: Record<string, QueueCounts>;
  page: { tasks: TaskSummary[]; nextCursor: string | null };
  workers: WorkerHeartbeat[];
}

export interface EnqueueRequest {
  /** Cloud Tasks queue id (a declared queue or its -high twin). */
  queue: string;
  /** Cloud Tasks task id, unique per attempt chain: de-duplicates. */
  name: string;
  body: string;
  scheduleTime?: number;
  dispatchDeadlineSeconds: number;
  /** Which worker function the queue dispatches to. */
  worker: string;
  /** Extra HTTP headers of the delivery (the trace it continues: `traceparent`). */
  headers?: Record<string, string>;
}

/** Cloud Tasks. */
export interface TaskQueue {
  /** Creating a task whose name exists already succeeds (it is the same task). */
  enqueue(request: EnqueueRequest): Promise<void>;
  /** False when the Cloud Task was not there (dispatched already). */
  delete(queue: string, name: string): Promise<boolean>;
  pause(queue: string): Promise<void>;
  resume(queue: string): Promise<void>;
  state(queue: string): Promise<"RUNNING" | "PAUSED" | "DISABLED" | "UNKNOWN">;
}

/** Where notification tasks deliver: the user system's signed webhook. */
export interface NotificationDelivery {
  /** The same on every retry of one notification (e.g. the sending task's id), so receivers drop duplicates. */
  id: string;
  signal?: AbortSignal;
}

export interface Notifier {
  send(event: string, body: Record<string, unknown>, delivery: NotificationDelivery): Promise<{ status: number }>;
}

/** Counters the platform keeps (Redis): usage statistics read them. */
export interface UsageCounters {
  snapshot(): Promise<{ queues: Record<string, Record<string, number>> }>;
}

export interface BlobInfo {
  /** Object path inside the bucket, e.g. "tts/abc.mp3". */
  path: string;
  bytes: number;
  contentType: string;
  updated: Date;
  metadata: Record<string, string>;
}

/** Cloud Storage: large data lives here and travels as a gs:// URI, never through Redis or a task body. */
export interface BlobStore {
  readonly bucket: string;
  put(path: string, data: Buffer, options: { contentType: string; metadata?: Record<string, string>; signal?: AbortSignal }): Promise<{ uri: string; bytes: number }>;
  /** Reads an object by path or gs://bucket/path URI; null when it does not exist. */
  get(pathOrUri: string, options?: { maxBytes?: number }): Promise<Buffer | null>;
  stat(path: string): Promise<BlobInfo | null>;
  /** One page of objects under a prefix, oldest-first order not guaranteed. */
  list(prefix: string, options?: { pageToken?: string; pageSize?: number }): Promise<{ items: BlobInfo[]; nextPageToken: string | null }>;
  delete(path: string): Promise<boolean>;
  /** A URL to read the object: V4-signed with an expiry, or public when the bucket is public. */
  readUrl(path: string, expiresSeconds?: number): Promise<string>;
  /** A V4-signed URL to PUT an object with this content type. */
  writeUrl(path: string, contentType: string, expiresSeconds?: number): Promise<string>;
  uri(path: string): string;
}

/**
 * Small data in Redis for tasks (caches, watermarks, checkpoints, work sets),
 * JSON values, every key under the deployment's prefix. Large data goes to BlobStore.
 */
export interface KeyValueStore {
  get<T = unknown>(key: string): Promise<T | null>;
  /** Returns false when onlyIfAbsent and the key exists. */
  set(key: string, value: unknown, options?: { ttlSeconds?: number; onlyIfAbsent?: boolean }): Promise<boolean>;
  delete(...keys: string[]): Promise<number>;
  increment(key: string, by?: number, ttlSeconds?: number): Promise<number>;
  /** Set semantics: adding a member twice keeps one. */
  addToSet(key: string, ...members: string[]): Promise<number>;
  /** Removes and returns up to `count` members. */
  popFromSet(key: string, count: number): Promise<string[]>;
  setSize(key: string): Promise<number>;
  /** One SCAN page over keys matching a glob (without the prefix); cursor "0" starts and ends. */
  scan(match: string, cursor: string, count?: number): Promise<{ cursor: string; keys: string[] }>;
  /** Seconds to live; -1 no expiry, -2 missing. */
  ttl(key: string): Promise<number>;
}

/** One callback: where, what, whose secret signs it, and its delivery id. */
export interface CallbackDelivery {
  /** A caller's URL: the sender judges it again (outbound guard) before connecting. */
  url: string;
  body: unknown;
  /** The tenant whose callback secret signs it. */
  tenant: string;
  /** The same on every retry of this delivery (webhook-id), so receivers drop duplicates. */
  id: string;
}

/** Signed POSTs to URLs that callers gave (callback_url). */
export interface CallbackSender {
  post(delivery: CallbackDelivery, signal?: AbortSignal): Promise<{ status: number }>;
}

/** Where a schedule came from: declared in code (functions/schedules.ts) or created through the API. */
export type ScheduleOrigin = "code" | "api";

export interface ScheduledJob {
  name: string;
  origin: ScheduleOrigin;
  cron: string;
  timeZone: string;
  task: string;
  payload: Record<string, unknown>;
  description: string;
  state: "ENABLED" | "PAUSED" | "UNKNOWN";
  lastAttemptTime: Date | null;
  /** gRPC status code of the last attempt (0 OK), null before the first. */
  lastStatus: { code: number; message: string } | null;
}

export type ScheduledJobSpec = Pick<ScheduledJob, "name" | "origin" | "cron" | "timeZone" | "task" | "payload" | "description">;

/** Cloud Scheduler: the scheduler of record. Only jobs under the platform's name prefix are seen or touched. */
export interface Scheduler {
  list(): Promise<ScheduledJob[]>;
  get(name: string): Promise<ScheduledJob | null>;
  /** Rejects with ScheduleConflict when the job exists. */
  create(spec: ScheduledJobSpec): Promise<ScheduledJob>;
  update(spec: ScheduledJobSpec): Promise<ScheduledJob>;
  delete(name: string): Promise<boolean>;
  pause(name: string): Promise<ScheduledJob>;
  resume(name: string): Promise<ScheduledJob>;
  run(name: string): Promise<void>;
}

/** Pub/Sub: domain events and the platform's lifecycle events. */
export interface EventBus {
  /** Returns the message id. */
  publish(topic: string, data: unknown, attributes?: Record<string, string>): Promise<string>;
}

/** One voice of the speech service, as its voice list names it. */
export interface SpeechVoice {
  /** ShortName, e.g. "vi-VN-HoaiMyNeural". */
  name: string;
  /** e.g. "vi-VN". */
  locale: string;
  /** "Female" or "Male", as the service spells it. */
  gender: string;
}

export interface SpeechRequest {
  /** Plain text (the adapter escapes it for SSML), at most `maxTextBytes` UTF-8 bytes. */
  text: string;
  /** A name from voices(). */
  voice: string;
  /** The service's output format, e.g. "audio-24khz-48kbitrate-mono-mp3". */
  format: string;
  /** SSML prosody: "+10%", "-5Hz"… */
  rate: string;
  pitch: string;
  volume: string;
}

/** Text-to-speech (Edge read-aloud). Failures the service may recover from are retryable errors. */
export interface SpeechSynthesizer {
  /** The most text (UTF-8 bytes) one synthesize() call takes; longer text is split by the caller. */
  readonly maxTextBytes: number;
  /** The voices on offer (cached by the adapter). */
  voices(signal?: AbortSignal): Promise<SpeechVoice[]>;
  /** The audio for one part of text; never empty (no audio is an error). */
  synthesize(request: SpeechRequest, signal?: AbortSignal): Promise<Buffer>;
}

/** A document at the ingest system; `deleted` marks a tombstone (its text is empty). */
export interface SourceDocument {
  id: string;
  regionId: string;
  title: string;
  text: string;
  /** ISO 8601; the source's clock. */
  updatedAt: string;
  deleted: boolean;
}

export interface DocumentQuery {
  /** Only documents changed strictly after this ISO time; absent: every document. */
  since?: string;
  regionId?: string;
  /** From the previous page's nextCursor; absent: the first page. */
  cursor?: string;
  limit: number;
  signal?: AbortSignal;
}

export interface DocumentPage {
  documents: SourceDocument[];
  /** Null on the last page. */
  nextCursor: string | null;
  /** Documents matching the query over all pages, when the source knows. */
  total?: number;
}

/** The ingest system the sync domain copies from: changes in pages, tombstones included, oldest change first. */
export interface DocumentSource {
  changes(query: DocumentQuery): Promise<DocumentPage>;
  /** One document (a tombstone when deleted at the source), or null when the source never had it. */
  get(id: string, signal?: AbortSignal): Promise<SourceDocument | null>;
}

/** Turns text into vectors. "passage" for what is stored, "query" for what is searched with (e5 prefixes). */
export interface Embedder {
  /** Model name, for logs and results. */
  readonly model: string;
  embed(texts: string[], kind: "passage" | "query", signal?: AbortSignal): Promise<number[][]>;
}

/** Payload conditions, all of which must hold: a value to equal, or a lower bound. */
export type VectorWhere = Record<string, string | number | { gte: number }>;

export interface VectorPoint {
  /** A UUID (or an unsigned integer as text). */
  id: string;
  vector: number[];
  payload: Record<string, unknown>;
}

export interface VectorMatch {
  id: string;
  score: number;
  payload: Record<string, unknown>;
}

/** A vector database (Qdrant): collections of points with payloads, cosine distance. */
export interface VectorStore {
  /** The collection to use when a caller names none (QDRANT_COLLECTION). */
  readonly defaultCollection: string;
  /**
   * Creates the collection with these payload indexes when missing. Throws a
   * NonRetryableError when it exists with vectors of another size.
   */
  ensureCollection(collection: string, options: { size: number; keywordIndexes?: string[]; integerIndexes?: string[] }): Promise<{ created: boolean }>;
  /** Writes the points and returns once they are applied. */
  upsert(collection: string, points: VectorPoint[]): Promise<void>;
  /** Deletes every point that matches any of the conditions. */
  deleteWhere(collection: string, anyOf: VectorWhere[]): Promise<void>;
  /** Nearest points, best first; a missing collection has none. */
  query(collection: string, vector: number[], options: { limit: number; where?: VectorWhere }): Promise<VectorMatch[]>;
  /** Points matching the conditions; a missing collection has none. */
  count(collection: string, where?: VectorWhere): Promise<number>;
}

/** The ports a handler reaches through its context. Adapters are built on first use. */
/** A JSON document from the game API, as received: stored without re-encoding. */
export interface GameApiDocument {
  /** The response body, UTF-8 JSON text. */
  json: string;
  bytes: number;
}

/**
 * The game API (Riot match-v5), by regional routing value ("americas", "europe",
 * "asia", "sea"). 429s surface as RetryAfterError, 404s as NonRetryableError.
 */
export interface GameApi {
  /** A player's most recent match ids, newest first (count 0-100). */
  matchIdsByPuuid(routing: string, puuid: string, options: { count: number; start?: number }, signal?: AbortSignal): Promise<string[]>;
  match(routing: string, matchId: string, signal?: AbortSignal): Promise<GameApiDocument>;
  timeline(routing: string, matchId: string, signal?: AbortSignal): Promise<GameApiDocument>;
}

export interface StoredMatch {
  matchId: string;
  region: string;
  routing: string;
  /** JSON text of the match details and timeline. */
  details: string;
  timeline: string;
}

/** Where fetched matches are kept (Postgres, JSONB). */
export interface MatchStore {
  exists(matchId: string): Promise<boolean>;
  /** Idempotent: saving a match that is already stored keeps the stored one and returns false. */
  save(match: StoredMatch): Promise<boolean>;
}

/** A tier of users: reached at `minQueries` total queries, allowed `dailyLimit` submits a day (USER_TIERS). */
export interface UserTier {
  name: string;
  minQueries: number;
  dailyLimit: number;
}

/** What a daily quota check answered. `resetAt` (ms) is when the user's count starts again from 0. */
export interface QuotaDecision {
  allowed: boolean;
  /** Units used today, this one included when allowed. */
  used: number;
  limit: number;
  resetAt: number;
}

/** Users' daily submit quota (Redis), charged by the api at submit. */
export interface UserQuota {
  /** Takes one unit atomically, unless the user is at their tier's daily limit. */
  consume(userId: string): Promise<QuotaDecision>;
  /** Gives back a unit taken for a submit that did not become a task. Never goes below 0. */
  refund(userId: string): Promise<void>;
}

/** One user's totals and tier, as the user tasks keep them. */
export interface UserRecord {
  userId: string;
  queries: number;
  tokens: number;
  processingMs: number;
  /** Null until calculate_tier first ran: the base tier applies. */
  tier: string | null;
  dailyLimit: number | null;
}

/** Users' statistics, tiers and daily counters (Redis), for the user tasks. */
export interface UserStore {
  /** The tier rules this deployment runs with (USER_TIERS), lowest threshold first. */
  readonly tiers: readonly UserTier[];
  get(userId: string): Promise<UserRecord | null>;
  /**
   * Adds usage to the user's totals atomically. `onceKey` makes it idempotent:
   * a second call with the same key (a retried task) adds nothing and answers applied false.
   */
  recordUsage(userId: string, usage: { queries: number; tokens: number; processingMs: number }, onceKey: string): Promise<{ applied: boolean; record: UserRecord }>;
  /**
   * Sets the tier (and its daily limit), unless a choice made on more queries is already stored
   * (two racing calculations cannot step a user back). Returns the tier before, and whether it was written.
   */
  setTier(userId: string, tier: UserTier, basedOnQueries: number): Promise<{ written: boolean; previous: string | null }>;
  /** Zeroes the user's daily count; answers what it was. */
  resetDailyCount(userId: string): Promise<{ used: number }>;
  /** One bounded SCAN page over the daily counters, each zeroed; cursor "0" starts, null when done. */
  resetDailyCountsPage(cursor: string, count: number): Promise<{ cursor: string | null; scanned: number; reset: number }>;
}

/** Sweeps of the cache namespaces in Redis: `<prefix>:cache:<namespace>:<key>` (see docs/users-and-cleanup.md). */
export interface CacheSweeper {
  /**
   * One SCAN page over every cache namespace but `query`: entries whose `created_at` is older than
   * `maxAgeMs` (default: the deployment's CACHE_MAX_AGE_SECONDS) go; entries left without a TTL get one
   * (what remains of `maxAgeMs`). Cursor "0" starts, null when done.
   */
  sweepCachePage(cursor: string, options: { count: number; now: number; maxAgeMs?: number }): Promise<{ cursor: string | null; scanned: number; removed: number; ttlGiven: number }>;
  /** One SCAN page over `cache:query:*`: entries created before `before` go, and entries without the layout and without a TTL. */
  sweepQueryCachePage(cursor: string, options: { count: number; before: number }): Promise<{ cursor: string | null; scanned: number; removed: number; malformed: number }>;
}

/** A conversation as stored in Redis (`<prefix>:conversation:<id>`, JSON with `updated_at`), read for archiving. */
export interface StoredConversation {
  id: string;
  updatedAt: number;
  /** The stored JSON text, as it is. */
  json: string;
  /** Identifies this exact version: deletion happens only if the stored text is still this one. */
  fingerprint: string;
}

/** Conversations kept in Redis, for archiving. */
export interface ConversationStore {
  /** One SCAN page: the conversations last updated before `before`; unreadable ones are counted, never returned. */
  stalePage(cursor: string, options: { count: number; before: number }): Promise<{ cursor: string | null; scanned: number; unreadable: number; stale: StoredConversation[] }>;
  /** Deletes the conversations still holding the version read (one written to since stays); returns how many went. */
  deleteUnchanged(conversations: Pick<StoredConversation, "id" | "fingerprint">[]): Promise<number>;
}

/** The task records' history, for cleanup. */
export interface TaskHistory {
  /**
   * Removes up to `batch` entries of the dead-letter index that finished before `beforeMs`, oldest first,
   * with their FAILURE records (and queue index entries). Entries whose record is no longer FAILURE
   * (redriven) lose only the index entry.
   */
  purgeFailed(beforeMs: number, batch: number): Promise<{ examined: number; recordsDeleted: number }>;
  /** The index sweep (TaskStore.sweepIndexes): entries whose record expired leave the indexes. */
  sweepIndexes(options: IndexSweepOptions): Promise<IndexSweepReport>;
}

/** The outbox sweep (platform.outbox_sweep): follow-ups a dead worker left. */
export interface Outbox {
  /** graceMs: only entries older than this (default: the deployment's OUTBOX_GRACE_SECONDS). */
  sweep(options: { graceMs?: number; limit: number }): Promise<OutboxSweepReport>;
}

export interface Ports {
  /** Follow-ups left pending (platform.outbox_sweep). */
  outbox: Outbox;
  /** Users' totals, tiers and daily counters (user.*). */
  users: UserStore;
  /** Cache namespaces, query cache (cleanup.*). */
  caches: CacheSweeper;
  conversations: ConversationStore;
  /** The dead-letter index and FAILURE records (cleanup.failed_tasks), the index sweep (platform.outbox_sweep). */
  taskHistory: TaskHistory;
  notifier: Notifier;
  usage: UsageCounters;
  blobs: BlobStore;
  kv: KeyValueStore;
  callbacks: CallbackSender;
  speech: SpeechSynthesizer;
  documents: DocumentSource;
  embedder: Embedder;
  vectors: VectorStore;
  gameApi: GameApi;
  matchStore: MatchStore;
  /** Image jobs (media.*): the local sharp provider or an HTTP one (functions/core/imaging.ts). */
  imaging: Imaging;
  /** User-supplied URLs, fetched behind an SSRF guard (functions/core/remote-files.ts). */
  remoteFiles: RemoteFiles;
}
