// The TaskStore contract, part three: index entries leave with their records. A record expires by its TTL;
// its entries in the tenant's queue index and the dead-letter index go when the sweep (or a list) finds it gone,
// so the indexes hold what lives, not all history.
import { beforeEach, describe, expect, it } from "vitest";
import { claimOf, failure, newTask, QUEUE, success, type MakeSubject, type TaskStoreSubject } from "./task-store-subject.ts";

export function indexContract(make: MakeSubject): void {
  let s: TaskStoreSubject;
  beforeEach(async () => {
    s = await make({ queues: [QUEUE, "other"], tenants: ["acme", "globex"] });
  });

  /** A task created now (1 ms after the last, so that no two share an index score), run to this outcome with a 1 s TTL. */
  async function finished(outcome: "SUCCESS" | "FAILURE", extra: { tenant?: string; queue?: string } = {}): Promise<string> {
    s.clock.now += 1;
    const id = await newTask(s, { ...extra, resultTtlSeconds: 1 });
    await claimOf(s, id, id, "run");
    await s.store.finish(id, "run", extra.queue ?? QUEUE, outcome === "SUCCESS" ? success(1) : failure(), 1);
    return id;
  }
  const sweep = (budget = 100, rewindMs = 600_000) => s.store.sweepIndexes({ minAgeMs: 30_000, budget, rewindMs });

  describe("index expiry", () => {
    it("the sweep removes the entries whose record expired, in every tenant's index and the dead letters, and keeps the live", async () => {
      await finished("SUCCESS");
      await finished("FAILURE");
      await finished("SUCCESS", { tenant: "globex", queue: "other" });
      s.clock.now += 1;
      const live = await newTask(s);
      await s.letTimePass(1_100);
      // Younger than minAgeMs: not looked at yet.
      expect(await sweep()).toEqual({ examined: 0, removed: 0, entries: 5 });
      s.clock.now += 60_000;
      expect(await sweep()).toEqual({ examined: 5, removed: 4, entries: 1 });
      expect((await s.store.list({ tenants: "*" }, 10)).tasks.map((t) => t.id)).toEqual([live]);
    });

    it("a bounded batch per run, the next run going on from where the last stopped", async () => {
      for (let i = 0; i < 3; i++) await finished("SUCCESS");
      await s.letTimePass(1_100);
      s.clock.now += 60_000;
      expect(await sweep(2)).toEqual({ examined: 2, removed: 2, entries: 1 });
      expect(await sweep(2)).toMatchObject({ removed: 1, entries: 0 });
    });

    it("an entry found live is looked at again once the walk starts over from the oldest (the rewind period)", async () => {
      s.clock.now += 1;
      const older = await newTask(s, { resultTtlSeconds: 1 });
      s.clock.now += 1;
      const newer = await newTask(s);
      s.clock.now += 60_000;
      expect(await sweep()).toEqual({ examined: 2, removed: 0, entries: 2 });
      await claimOf(s, older, older, "run");
      await s.store.finish(older, "run", QUEUE, success(1), 1);
      await s.letTimePass(1_100);
      // Within the rewind period the walk goes on from where it stopped: the entry behind it is not looked at every run.
      expect(await sweep()).toEqual({ examined: 1, removed: 0, entries: 2 });
      s.clock.now += 600_000;
      await sweep(); // reaches the end of its walk a rewind period after it began: the next starts from the oldest
      expect(await sweep()).toMatchObject({ removed: 1, entries: 1 });
      expect((await s.store.list({ tenants: ["acme"] }, 10)).tasks.map((t) => t.id)).toEqual([newer]);
    });

    it("a list removes the expired entries it passes", async () => {
      const gone = await finished("FAILURE");
      s.clock.now += 1;
      const live = await newTask(s);
      await s.letTimePass(1_100);
      expect((await s.store.list({ tenants: ["acme"] }, 10)).tasks.map((t) => t.id)).toEqual([live]);
      expect((await s.store.list({ tenants: "*", status: "FAILURE" }, 10)).tasks).toEqual([]);
      s.clock.now += 60_000;
      // Nothing left for the sweep to remove: the list took the queue index's entry and the dead letter's.
      expect(await sweep()).toEqual({ examined: 1, removed: 0, entries: 1 });
      expect(await s.store.summary(gone)).toBeNull();
    });
  });

  describe("paging", () => {
    /** Pages through a list `limit` at a time; answers every id in order. */
    async function walk(filter: Parameters<TaskStoreSubject["store"]["list"]>[0], limit: number, viaOverview = false): Promise<string[]> {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = viaOverview ? (await s.store.overview(filter, limit, cursor, 100)).page : await s.store.list(filter, limit, cursor);
        seen.push(...page.tasks.map((t) => t.id));
        if (!page.nextCursor || page.tasks.length === 0) return seen;
        cursor = page.nextCursor;
      }
      throw new Error("the walk did not end");
    }

    it("tasks created in the same millisecond across a page boundary are each listed once, in one index and across several", async () => {
      const acme: string[] = [];
      const globex: string[] = [];
      for (let i = 0; i < 5; i++) acme.push(await newTask(s));
      for (let i = 0; i < 4; i++) globex.push(await newTask(s, { tenant: "globex", queue: "other" }));
      s.clock.now += 1;
      const newest = await newTask(s);
      // Newest first; one millisecond's tasks by id, descending.
      const byIdDescending = (ids: string[]) => [...ids].sort().reverse();
      const everyone = [newest, ...byIdDescending([...acme, ...globex])];
      for (const limit of [1, 2, 3, 4]) {
        expect(await walk({ tenants: "*" }, limit), `pages of ${limit}`).toEqual(everyone);
        expect(await walk({ tenants: "*" }, limit, true), `overview pages of ${limit}`).toEqual(everyone);
      }
      expect(await walk({ tenants: ["acme"] }, 2)).toEqual([newest, ...byIdDescending(acme)]);
    });
  });
}
