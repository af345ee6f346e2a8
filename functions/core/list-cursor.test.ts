import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, LIST_START, mergeNewest } from "./list-cursor.ts";

const e = (score: number, id: string) => ({ score, id });

describe("list cursor", () => {
  it("round-trips a position; an unreadable cursor starts over; a score-only cursor goes on after that score", () => {
    expect(decodeCursor(encodeCursor(e(12, "b")))).toEqual(e(12, "b"));
    expect(decodeCursor(undefined)).toEqual(LIST_START);
    expect(decodeCursor("not a cursor")).toEqual(LIST_START);
    expect(decodeCursor(Buffer.from("12").toString("base64url"))).toEqual(e(12, ""));
  });

  it("merges indexes newest first, ids descending within a score, after the position", () => {
    const pages = [[e(10, "c"), e(10, "a"), e(8, "x")], [e(10, "b"), e(9, "y")]];
    expect(mergeNewest(pages, LIST_START, 10).entries).toEqual([e(10, "c"), e(10, "b"), e(10, "a"), e(9, "y"), e(8, "x")]);
    expect(mergeNewest(pages, e(10, "b"), 10).entries).toEqual([e(10, "a"), e(9, "y"), e(8, "x")]);
  });

  it("stops at the newest last entry of a full page: past it that index may hold entries it did not send", () => {
    // Index A sent a full page of 3, the first already seen (a tie at the position): it may hold more below 9.
    // Index B's 8 may come after an entry A did not send (A's next could be 8.5): the page ends at A's last.
    const pages = [[e(10, "z"), e(10, "y"), e(9, "x")], [e(8, "p")]];
    const merged = mergeNewest(pages, e(10, "z"), 3);
    expect(merged.entries).toEqual([e(10, "y"), e(9, "x")]);
    expect(merged.more).toBe(true);
    expect(mergeNewest([[e(9.5, "q"), e(8, "p")]], LIST_START, 3)).toEqual({ entries: [e(9.5, "q"), e(8, "p")], more: false });
  });
});
