// A sorted set (member → score) as the store's indexes need it: ZADD, ZREM and
// the two ZRANGE BYSCORE walks the Redis adapter makes, ties ordered as Redis orders them.
import type { ListPosition } from "../list-cursor.ts";
export class MemoryIndex {
  readonly #scores = new Map<string, number>();

  add(member: string, score: number): void {
    this.#scores.set(member, score);
  }

  remove(member: string): void {
    this.#scores.delete(member);
  }

  /** ZRANGE key <position's score> -inf BYSCORE REV LIMIT 0 count WITHSCORES: newest first, ties by member descending. */
  newest(from: ListPosition, count: number): { id: string; score: number }[] {
    return [...this.#scores]
      .filter(([, score]) => score <= from.score)
      .map(([id, score]) => ({ id, score }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, count);
  }

  /** ZRANGE key -inf max BYSCORE LIMIT 0 count: oldest first, ties by member ascending. */
  upTo(max: number, count: number): string[] {
    return [...this.#scores]
      .filter(([, score]) => score <= max)
      .sort(([a, sa], [b, sb]) => sa - sb || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, count)
      .map(([id]) => id);
  }

  /** ZCARD. */
  get size(): number {
    return this.#scores.size;
  }

  /** ZRANGEBYSCORE key from max WITHSCORES LIMIT 0 count, `from` as Redis reads it ("-inf", "12", "(12"). */
  between(from: string, max: number, count: number): { id: string; score: number }[] {
    const exclusive = from.startsWith("(");
    const min = from === "-inf" ? Number.NEGATIVE_INFINITY : Number(exclusive ? from.slice(1) : from);
    return [...this.#scores]
      .filter(([, score]) => (exclusive ? score > min : score >= min) && score <= max)
      .sort(([a, sa], [b, sb]) => sa - sb || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, count)
      .map(([id, score]) => ({ id, score }));
  }
}
