// The reads across tasks of MemoryTaskStore, walked the way the Redis adapter walks its indexes:
// newest first by creation time, the cursor the score of the last entry looked at.
import type { ListFilter, QueueCounts } from "../ports.ts";
import type { TaskSummary } from "../task-record.ts";
import type { MemoryIndex } from "./memory-index.ts";
import { toSummary, type MemoryTaskRecord } from "./memory-task-record.ts";

type Lookup = (id: string) => MemoryTaskRecord | undefined;

const PAGE = 200;
const ROUNDS = 20;
const QUEUE_SAMPLE = 1000;

function newest(sources: readonly MemoryIndex[], before: number, count: number): { id: string; score: number; source: MemoryIndex }[] {
  // Stable sort over the indexes' pages in order: ties across indexes keep the order Redis's merge gives them.
  return sources.flatMap((index) => index.newest(before, count).map((entry) => ({ ...entry, source: index })))
    .sort((a, b) => b.score - a.score).slice(0, count);
}

export function listTasks(sources: readonly MemoryIndex[], lookup: Lookup, filter: ListFilter, limit: number, cursor?: string): { tasks: TaskSummary[]; nextCursor: string | null } {
  let before = cursor ? Number(Buffer.from(cursor, "base64url").toString()) : Number.POSITIVE_INFINITY;
  if (!Number.isFinite(before) && cursor) before = Number.POSITIVE_INFINITY;
  const found: TaskSummary[] = [];
  for (let round = 0; round < ROUNDS && found.length < limit; round += 1) {
    const page = newest(sources, before, PAGE);
    if (page.length === 0) return { tasks: found, nextCursor: null };
    for (const entry of page) {
      before = entry.score;
      const record = lookup(entry.id);
      if (!record) {
        // Expired: its index entry goes too, as the Redis adapter removes it.
        entry.source.remove(entry.id);
        continue;
      }
      if (filter.status && record.status !== filter.status) continue;
      if (filter.queue && record.queue !== filter.queue) continue;
      if (filter.type && record.type !== filter.type) continue;
      found.push(toSummary(record));
      if (found.length === limit) break;
    }
  }
  return { tasks: found, nextCursor: Buffer.from(String(before)).toString("base64url") };
}

export function countQueue(sources: readonly MemoryIndex[], lookup: Lookup, totals: QueueCounts["totals"], now: number): QueueCounts {
  const sample = newest(sources, Number.POSITIVE_INFINITY, QUEUE_SAMPLE);
  const live = { PENDING: 0, SCHEDULED: 0, STARTED: 0, RETRY: 0 };
  let waits = 0, waitSum = 0, runs = 0, runSum = 0, finishedLastMinute = 0;
  for (const entry of sample) {
    const record = lookup(entry.id);
    if (!record) continue;
    if (record.status in live) live[record.status as keyof typeof live] += 1;
    if (record.startedAt) { waits += 1; waitSum += record.startedAt - (record.eta ?? record.createdAt); }
    if (record.startedAt && record.finishedAt) { runs += 1; runSum += record.finishedAt - record.startedAt; }
    if (record.finishedAt && now - record.finishedAt < 60_000) finishedLastMinute += 1;
  }
  return {
    totals, live,
    meanWaitSeconds: waits ? Math.max(0, waitSum) / waits / 1000 : null,
    meanRunSeconds: runs ? runSum / runs / 1000 : null,
    finishedLastMinute,
    sampled: sample.length,
  };
}
