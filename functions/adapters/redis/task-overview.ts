// The console's overview (TaskStore.overview) in two Upstash requests where
// list() and queueCounts() take one or more per index: one pipeline reads every
// queue's counters and newest index entries, the list page's index entries and
// the workers; a second reads the summaries of the tasks those entries name.
import type { ListFilter, QueueCounts, TaskOverview, WorkerHeartbeat } from "../../core/ports.ts";
import type { TaskSummary } from "../../core/task-record.ts";
import type { Redis } from "@upstash/redis";
import { decodeCursor, encodeCursor, LIST_START, mergeNewest, rangeMax, type ListPosition } from "../../core/list-cursor.ts";

const WORKER_VISIBLE_MS = 60_000;
/** Index entries a list reads per round (as list() does). */
const LIST_ROUND = 200;

export interface OverviewReads {
  /** A raw client (automaticDeserialization off): replies are the strings Redis sent. */
  redis: Pick<Redis, "pipeline">;
  now: number;
  queues: readonly string[];
  statsKey(queue: string): string;
  workersKey: string;
  /** Every tenant's index of one queue (for its counts). */
  queueIndexes(queue: string): string[];
  /** What list() would walk for this filter. */
  listSources(filter: ListFilter): string[];
  summaryFields: readonly string[];
  toSummary(id: string, values: readonly (string | null)[]): TaskSummary | null;
  taskKey(id: string): string;
  /** The whole walk, when the first round does not fill the page. */
  list(filter: ListFilter, limit: number, cursor?: string): Promise<{ tasks: TaskSummary[]; nextCursor: string | null }>;
}

/** A queue's counts from its stats hash and the summaries of its newest tasks (queueCounts' arithmetic). */
export function countSample(totalsFlat: readonly string[] | null, summaries: readonly (TaskSummary | null)[], now: number): QueueCounts {
  const totals = { SUCCESS: 0, FAILURE: 0, REVOKED: 0, RETRY: 0 };
  for (let i = 0; totalsFlat && i + 1 < totalsFlat.length; i += 2) {
    const field = totalsFlat[i] as keyof typeof totals;
    if (field in totals) totals[field] = Number(totalsFlat[i + 1]);
  }
  const live = { PENDING: 0, SCHEDULED: 0, STARTED: 0, RETRY: 0 };
  let waits = 0, waitSum = 0, runs = 0, runSum = 0, finishedLastMinute = 0;
  for (const summary of summaries) {
    if (!summary) continue;
    if (summary.status in live) live[summary.status as keyof typeof live] += 1;
    if (summary.startedAt) { waits += 1; waitSum += summary.startedAt - (summary.eta ?? summary.createdAt); }
    if (summary.startedAt && summary.finishedAt) { runs += 1; runSum += summary.finishedAt - summary.startedAt; }
    if (summary.finishedAt && now - summary.finishedAt < 60_000) finishedLastMinute += 1;
  }
  return {
    totals, live,
    meanWaitSeconds: waits ? Math.max(0, waitSum) / waits / 1000 : null,
    meanRunSeconds: runs ? runSum / runs / 1000 : null,
    finishedLastMinute,
    sampled: summaries.length,
  };
}

/** Heartbeats seen in the last minute, newest first. */
function liveWorkers(flat: readonly string[] | null, now: number): WorkerHeartbeat[] {
  const live: WorkerHeartbeat[] = [];
  for (let i = 0; flat && i + 1 < flat.length; i += 2) {
    const beat = JSON.parse(flat[i + 1]!) as WorkerHeartbeat;
    if (now - beat.lastSeen < WORKER_VISIBLE_MS) live.push(beat);
  }
  return live.sort((a, b) => b.lastSeen - a.lastSeen);
}

/** Index entries of ZRANGE … WITHSCORES replies, merged newest first after a position (list-cursor.ts). */
const newest = (pages: readonly string[][], after: ListPosition, count: number) => {
  const entries = pages.map((page) => {
    const out: { id: string; score: number }[] = [];
    for (let i = 0; i + 1 < page.length; i += 2) out.push({ id: page[i]!, score: Number(page[i + 1]) });
    return out;
  });
  return mergeNewest(entries, after, count);
};

export async function readOverview(r: OverviewReads, filter: ListFilter, limit: number, cursor: string | undefined, sample: number): Promise<TaskOverview> {
  let position = decodeCursor(cursor);
  const queueIndexes = r.queues.map((queue) => r.queueIndexes(queue));
  const sources = r.listSources(filter);

  // First request: counters, index entries, workers.
  const first = r.redis.pipeline();
  for (const queue of r.queues) first.hgetall(r.statsKey(queue));
  for (const indexes of queueIndexes) for (const index of indexes) first.zrange(index, "+inf", "-inf", { byScore: true, rev: true, withScores: true, offset: 0, count: sample });
  for (const index of sources) first.zrange(index, rangeMax(position), "-inf", { byScore: true, rev: true, withScores: true, offset: 0, count: LIST_ROUND });
  first.hgetall(r.workersKey);
  const replies = (await first.exec()) as unknown[];
  let at = 0;
  const stats = r.queues.map(() => replies[at++] as string[] | null);
  const samples = queueIndexes.map((indexes) => newest(indexes.map(() => replies[at++] as string[]), LIST_START, sample).entries);
  const listPage = newest(sources.map(() => replies[at++] as string[]), position, LIST_ROUND);
  const workers = liveWorkers(replies[at++] as string[] | null, r.now);

  // Second request: the summaries of every task named above, each read once.
  const ids = [...new Set([...samples.flat(), ...listPage.entries].map((entry) => entry.id))];
  const summaries = new Map<string, TaskSummary | null>();
  if (ids.length) {
    const second = r.redis.pipeline();
    for (const id of ids) second.hmget(r.taskKey(id), ...r.summaryFields);
    const rows = (await second.exec()) as ((string | null)[] | null)[];
    rows.forEach((row, i) => summaries.set(ids[i]!, row ? r.toSummary(ids[i]!, row) : null));
  }

  const queues = Object.fromEntries(r.queues.map((queue, i) => [queue, countSample(stats[i]!, samples[i]!.map((e) => summaries.get(e.id) ?? null), r.now)]));
  const found: TaskSummary[] = [];
  for (const entry of listPage.entries) {
    position = entry;
    const summary = summaries.get(entry.id);
    if (!summary) continue;
    if (filter.status && summary.status !== filter.status) continue;
    if (filter.queue && summary.queue !== filter.queue) continue;
    if (filter.type && summary.type !== filter.type) continue;
    found.push(summary);
    if (found.length === limit) break;
  }
  let page: TaskOverview["page"];
  if (found.length === limit) page = { tasks: found, nextCursor: encodeCursor(position) };
  else if (!listPage.more) page = { tasks: found, nextCursor: null };
  else page = await r.list(filter, limit, cursor); // a filter that needs more than one round walks as list() does
  return { queues, page, workers };
}
