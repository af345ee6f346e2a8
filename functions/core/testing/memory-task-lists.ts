// The reads across tasks of MemoryTaskStore, walked the way the Redis adapter walks its indexes:
// newest first by creation time, the cursor the position (score and id) of the last entry looked at (core/list-cursor.ts).
import type { ListFilter, QueueCounts } from "../ports.ts";
import type { TaskSummary } from "../task-record.ts";
import type { MemoryIndex } from "./memory-index.ts";
import { decodeCursor, encodeCursor, LIST_START, mergeNewest, type ListPosition } from "../list-cursor.ts";
import { toSummary, type MemoryTaskRecord } from "./memory-task-record.ts";

type Lookup = (id: string) => MemoryTaskRecord | undefined;

const PAGE = 200;
const ROUNDS = 20;
const QUEUE_SAMPLE = 1000;

function newest(sources: readonly MemoryIndex[], after: ListPosition, count: number): { id: string; score: number; source: MemoryIndex }[] {
  return mergeNewest(sources.map((index) => index.newest(after, count).map((entry) => ({ ...entry, source: index }))), after, count).entries;
}

export function listTasks(sources: readonly MemoryIndex[], lookup: Lookup, filter: ListFilter, limit: number, cursor?: string): { tasks: TaskSummary[]; nextCursor: string | null } {
  let position = decodeCursor(cursor);
  const found: TaskSummary[] = [];
  for (let round = 0; round < ROUNDS && found.length < limit; round += 1) {
    const page = newest(sources, position, PAGE);
    if (page.length === 0) return { tasks: found, nextCursor: null };
    for (const entry of page) {
      position = entry;
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
  return { tasks: found, nextCursor: encodeCursor(position) };
}

export function countQueue(sources: readonly MemoryIndex[], lookup: Lookup, totals: QueueCounts["totals"], now: number): QueueCounts {
  const sample = newest(sources, LIST_START, QUEUE_SAMPLE);
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
