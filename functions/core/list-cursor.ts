// Where a list of tasks, newest first, goes on: the creation time (the index score) and the id of the last
// entry it looked at. Ids order the tasks of one millisecond as Redis orders the members of one score in a
// reversed range (by member, descending), so a page boundary inside a millisecond skips and repeats nothing.
// The Redis store, its console overview and the in-memory store all page through here.

export interface ListPosition {
  score: number;
  id: string;
}

export const LIST_START: ListPosition = { score: Number.POSITIVE_INFINITY, id: "" };

/** The cursor a page answers; opaque to callers. */
export const encodeCursor = (position: ListPosition): string => Buffer.from(`${position.score} ${position.id}`).toString("base64url");

/** A cursor back to its position; one that cannot be read starts over. A cursor of old (score only) goes on after that score. */
export function decodeCursor(cursor: string | undefined): ListPosition {
  if (!cursor) return LIST_START;
  const [score, id = ""] = Buffer.from(cursor, "base64url").toString().split(" ", 2);
  const value = Number(score);
  return Number.isFinite(value) ? { score: value, id } : LIST_START;
}

/** Newest first; within one score, ids descending. */
const newestFirst = (a: ListPosition, b: ListPosition): number => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Whether an entry comes after the position in that order (a later page's). */
const isAfter = (position: ListPosition, entry: ListPosition): boolean => newestFirst(position, entry) < 0;

/** The inclusive upper bound to read an index from (ZRANGE … max -inf BYSCORE REV): ties at the position's score may remain. */
export const rangeMax = (position: ListPosition): number | "+inf" => (position.score === Number.POSITIVE_INFINITY ? "+inf" : position.score);

/**
 * The newest `count` entries after `position` across indexes, each index's page read from rangeMax (at most
 * `count` entries, newest first). Entries at or before the position are dropped; and since a full page that lost
 * some may end before another index's entries do, the merge stops at the newest last entry of a full page: past
 * it, an index may hold entries it did not send. `more`: the indexes may hold entries past what is answered.
 */
export function mergeNewest<E extends ListPosition>(pages: readonly E[][], position: ListPosition, count: number): { entries: E[]; more: boolean } {
  let horizon: E | undefined;
  for (const page of pages) {
    const last = page[page.length - 1];
    if (page.length >= count && last && (!horizon || newestFirst(last, horizon) < 0)) horizon = last;
  }
  const merged = pages.flat().filter((entry) => isAfter(position, entry) && (!horizon || newestFirst(entry, horizon) <= 0)).sort(newestFirst);
  return { entries: merged.slice(0, count), more: horizon !== undefined || merged.length > count };
}
