// The TaskStore contract, part two: revoke, redrive, the outbox, lists (never another tenant's),
// queue counts and workers.
import { beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { claimOf, failure, newTask, QUEUE, retryTo, success, type MakeSubject, type TaskStoreSubject } from "./task-store-subject.ts";

export function readsContract(make: MakeSubject): void {
  let s: TaskStoreSubject;
  beforeEach(async () => {
    s = await make({ queues: [QUEUE, "other"], tenants: ["acme", "globex"] });
  });

  describe("group progress", () => {
    it("only grows: a late follow-up never lowers the members submitted or the submit errors", async () => {
      const id = randomUUID();
      await s.groups.create({ id, tenant: "acme", kind: "chain", total: 3, createdAt: 5, steps: [{ type: "a" }, { type: "b" }, { type: "c" }], allowPartial: false });
      await s.groups.progress(id, 3, 1);
      await s.groups.progress(id, 2, 0);
      expect(await s.groups.get(id)).toMatchObject({ submitted: 3, submitErrors: 1 });
    });
  });

  describe("revoke", () => {
    it("revokes a queued task at once; a running one only when asked to terminate, by a flag its run reads", async () => {
      expect(await s.store.revoke(randomUUID(), false, 3600)).toEqual({ kind: "missing" });
      const queued = await newTask(s, { priority: "high" });
      expect(await s.store.revoke(queued, false, 3600)).toEqual({ kind: "revoked", cloudTask: queued, queue: QUEUE, priority: "high" });
      expect(await s.store.summary(queued)).toMatchObject({ status: "REVOKED", finishedAt: s.clock.now, error: { type: "TaskRevoked" } });
      expect(await claimOf(s, queued, queued, "run")).toEqual({ kind: "final", status: "REVOKED", pending: [] });
      expect(await s.store.revoke(queued, true, 3600)).toEqual({ kind: "final", status: "REVOKED" });

      const running = await newTask(s);
      await claimOf(s, running, running, "run", 10_000);
      expect(await s.store.revoke(running, false, 3600)).toEqual({ kind: "running" });
      expect(await s.store.progress(running, "run", -1, "", 10_000)).toEqual({ revokeRequested: false });
      expect(await s.store.revoke(running, true, 3600)).toEqual({ kind: "signalled" });
      expect(await s.store.progress(running, "run", -1, "", 10_000)).toEqual({ revokeRequested: true });
      expect((await s.store.summary(running))?.status).toBe("STARTED");
      expect((await s.store.queueCounts(QUEUE)).totals.REVOKED).toBe(1);
    });

    it("a STARTED task whose worker is gone is revoked at once, and its late run is fenced off", async () => {
      const id = await newTask(s);
      await claimOf(s, id, id, "run", 10_000);
      s.clock.now += 10_001;
      expect(await s.store.revoke(id, false, 3600)).toMatchObject({ kind: "revoked" });
      expect((await s.store.finish(id, "run", QUEUE, success(1), 3600)).owned).toBe(false);
    });

    it("a revoked record expires with the task's result ttl", async () => {
      const id = await newTask(s, { resultTtlSeconds: 1 });
      await s.store.revoke(id, false, 3600);
      await s.letTimePass(1_100);
      expect(await s.store.summary(id)).toBeNull();
    });
  });

  describe("redrive", () => {
    async function failed(ttl = 3600): Promise<string> {
      const id = await newTask(s);
      await claimOf(s, id, id, "run");
      await s.store.finish(id, "run", QUEUE, failure(), ttl, { followUps: ["event"] });
      return id;
    }

    it("only a FAILURE: PENDING again with a fresh attempt budget, a new Cloud Task, out of the dead letters, kept", async () => {
      expect(await s.store.redrive(randomUUID(), "ct")).toEqual({ ok: false, status: null });
      const pending = await newTask(s);
      expect(await s.store.redrive(pending, "ct")).toEqual({ ok: false, status: "PENDING" });
      const id = await failed(1);
      const redriven = await s.store.redrive(id, `${id}-r`);
      expect(redriven).toMatchObject({ ok: true, summary: { status: "PENDING", attempts: 0, cloudTask: `${id}-r`, message: "redriven", progress: 0 } });
      expect(redriven.ok && redriven.summary.error).toBeUndefined();
      expect(redriven.ok && redriven.summary.finishedAt).toBeUndefined();
      expect((await s.store.list({ tenants: "*", status: "FAILURE" }, 10)).tasks).toEqual([]);
      expect(await claimOf(s, id, id, "run-old")).toEqual({ kind: "stale" });
      await s.letTimePass(1_100); // the FAILURE's expiry no longer applies
      expect(await claimOf(s, id, `${id}-r`, "run-new")).toMatchObject({ kind: "claimed", attempt: 1 });
      // The first FAILURE's follow-ups went with it: the new outcome's are its own.
      await s.store.finish(id, "run-new", QUEUE, success(1), 3600);
      expect(await claimOf(s, id, `${id}-r`, "run-dup")).toEqual({ kind: "final", status: "SUCCESS", pending: [] });
    });

    it("unredrive puts the FAILURE back unless a delivery claimed it first", async () => {
      const id = await failed();
      await s.store.redrive(id, `${id}-r`);
      await s.store.unredrive(id, `${id}-r`, { type: "EnqueueFailed", message: "refused" }, 3600);
      expect(await s.store.summary(id)).toMatchObject({ status: "FAILURE", error: { type: "EnqueueFailed" }, message: "" });
      expect((await s.store.list({ tenants: "*", status: "FAILURE" }, 10)).tasks.map((t) => t.id)).toEqual([id]);

      await s.store.redrive(id, `${id}-r2`);
      // An undo for another redrive's Cloud Task leaves this one alone.
      await s.store.unredrive(id, `${id}-r`, { type: "EnqueueFailed", message: "refused" }, 3600);
      expect(await s.store.summary(id)).toMatchObject({ status: "PENDING", cloudTask: `${id}-r2` });
      await claimOf(s, id, `${id}-r2`, "run");
      await s.store.unredrive(id, `${id}-r2`, { type: "EnqueueFailed", message: "refused" }, 3600);
      expect((await s.store.summary(id))?.status).toBe("STARTED");
    });
  });

  describe("the outbox", () => {
    it("keeps follow-ups until done, oldest first, for the sweep", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const id = await newTask(s, { callbackUrl: "https://example.com/hook", groupId: i === 0 ? "g" : undefined });
        await claimOf(s, id, id, `run-${i}`);
        s.clock.now += 1000;
        await s.store.finish(id, `run-${i}`, QUEUE, i === 2 ? failure("x") : success(i), 3600, { followUps: ["event", "callback"] });
        ids.push(id);
      }
      expect(await s.store.outboxDue(s.clock.now, 10)).toEqual(ids);
      expect(await s.store.outboxDue(s.clock.now - 1000, 10)).toEqual(ids.slice(0, 2));
      expect(await s.store.outboxDue(s.clock.now, 1)).toEqual(ids.slice(0, 1));
      expect(await s.store.finishedTask(ids[0]!)).toEqual({
        task: {
          taskId: ids[0], tenant: "acme", type: "testing.noop", queue: QUEUE, outcome: { status: "SUCCESS", result: "0" }, attempt: 1, runId: "run-0",
          finishedAt: s.clock.now - 2000, callbackUrl: "https://example.com/hook", group: { id: "g", index: 0 },
        },
        pending: ["event", "callback"],
      });
      expect((await s.store.finishedTask(ids[2]!))?.task.outcome).toEqual({ status: "FAILURE", error: { type: "Boom", message: "x" } });
      expect(await s.store.followUpsDone(ids[0]!, ["callback"])).toEqual(["event"]);
      expect(await s.store.followUpsDone(ids[0]!, ["event", "chain"])).toEqual([]);
      expect((await s.store.finishedTask(ids[0]!))?.pending).toEqual([]);
      await s.store.outboxForget(ids[1]!);
      expect(await s.store.outboxDue(s.clock.now, 10)).toEqual([ids[2]]);
    });

    it("finishedTask is null for a task not final; followUpsDone of a record that is gone drops its entry", async () => {
      const id = await newTask(s);
      expect(await s.store.finishedTask(id)).toBeNull();
      expect(await s.store.finishedTask(randomUUID())).toBeNull();
      await claimOf(s, id, id, "run");
      await s.store.finish(id, "run", QUEUE, success(1), 1, { followUps: ["event"] });
      await s.letTimePass(1_100);
      expect(await s.store.outboxDue(s.clock.now, 10)).toEqual([id]);
      expect(await s.store.followUpsDone(id, [])).toEqual([]);
      expect(await s.store.outboxDue(s.clock.now, 10)).toEqual([]);
    });
  });

  describe("list", () => {
    it("never lists another tenant's task; * lists every tenant's", async () => {
      const mine = await newTask(s, { tenant: "acme" });
      s.clock.now += 1;
      const theirs = await newTask(s, { tenant: "globex" });
      const ids = async (tenants: readonly string[] | "*") => (await s.store.list({ tenants }, 10)).tasks.map((t) => t.id);
      expect(await ids(["acme"])).toEqual([mine]);
      expect(await ids(["globex"])).toEqual([theirs]);
      expect(await ids([])).toEqual([]);
      expect(await ids("*")).toEqual([theirs, mine]);
      expect(await ids(["acme", "globex"])).toEqual([theirs, mine]);
    });

    it("filters by status, queue and type, newest first, a page at a time", async () => {
      const made: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        s.clock.now += 10;
        made.push(await newTask(s, { type: i % 2 ? "testing.odd" : "testing.even", queue: i === 4 ? "other" : QUEUE }));
      }
      await claimOf(s, made[1]!, made[1]!, "run");
      const list = (filter: Partial<Parameters<typeof s.store.list>[0]>, limit = 10, cursor?: string) => s.store.list({ tenants: ["acme"], ...filter }, limit, cursor);
      expect((await list({})).tasks.map((t) => t.id)).toEqual([...made].reverse());
      expect((await list({ queue: "other" })).tasks.map((t) => t.id)).toEqual([made[4]]);
      expect((await list({ type: "testing.odd" })).tasks.map((t) => t.id)).toEqual([made[3], made[1]]);
      expect((await list({ status: "STARTED" })).tasks.map((t) => t.id)).toEqual([made[1]]);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page += 1) {
        const answer = await list({}, 2, cursor);
        seen.push(...answer.tasks.map((t) => t.id));
        if (!answer.nextCursor) break;
        cursor = answer.nextCursor;
      }
      expect(seen).toEqual([...made].reverse());
    });

    it("walks past a page of the index to find what the filter asks for", async () => {
      const rare = await newTask(s, { type: "testing.rare" });
      const made: string[] = []; // 225 newer ones, more than a page (200) of the index: each its own millisecond
      for (let batch = 0; batch < 5; batch += 1) {
        made.push(...(await Promise.all(Array.from({ length: 45 }, (_, i) => newTask(s, { createdAt: s.clock.now + 1 + batch * 45 + i })))));
      }
      expect((await s.store.list({ tenants: ["acme"], type: "testing.rare" }, 1)).tasks.map((t) => t.id)).toEqual([rare]);
      expect((await s.store.list({ tenants: ["acme"] }, 3)).tasks.map((t) => t.id)).toEqual(made.slice(-3).reverse());
    });

    it("the dead letters across tenants come from the failed index, newest failure first", async () => {
      const a = await newTask(s, { tenant: "acme" });
      const b = await newTask(s, { tenant: "globex", queue: "other" });
      for (const id of [b, a]) {
        await claimOf(s, id, id, "run");
        s.clock.now += 1000;
        await s.store.finish(id, "run", "q", failure(), 3600);
      }
      expect((await s.store.list({ tenants: "*", status: "FAILURE" }, 10)).tasks.map((t) => t.id)).toEqual([a, b]);
      expect((await s.store.list({ tenants: ["globex"], status: "FAILURE" }, 10)).tasks.map((t) => t.id)).toEqual([b]);
    });
  });

  it("queueCounts: totals of outcomes, live states of the recent tasks, mean wait and run", async () => {
    // c waits from its ETA, not its creation: 1 s.
    const [a, b, c] = [await newTask(s), await newTask(s, { tenant: "globex" }), await newTask(s, { status: "SCHEDULED", eta: s.clock.now + 1_000 })];
    await newTask(s, { queue: "other" });
    s.clock.now += 2_000;
    for (const id of [a!, b!, c!]) await claimOf(s, id, id, "run");
    s.clock.now += 4_000;
    await s.store.finish(a!, "run", QUEUE, success(1), 3600);
    await s.store.finish(b!, "run", QUEUE, retryTo(`${b}-2`, s.clock.now), 3600);
    const counts = await s.store.queueCounts(QUEUE);
    expect(counts).toEqual({
      totals: { SUCCESS: 1, FAILURE: 0, REVOKED: 0, RETRY: 1 },
      live: { PENDING: 0, SCHEDULED: 0, STARTED: 1, RETRY: 1 },
      meanWaitSeconds: expect.any(Number), meanRunSeconds: 4, finishedLastMinute: 1, sampled: 3,
    });
    expect(counts.meanWaitSeconds).toBeCloseTo(5 / 3, 6);
  });

  it("groups: the record, members by index, submit progress, updates, and members' results", async () => {
    const id = randomUUID();
    expect(await s.groups.get(id)).toBeNull();
    await s.groups.create({ id, tenant: "acme", kind: "chord", total: 3, createdAt: 5, steps: [], callback: { type: "testing.collect" }, allowPartial: true });
    expect(await s.groups.get(id)).toEqual({
      id, tenant: "acme", kind: "chord", total: 3, done: 0, succeeded: 0, failed: 0, revoked: 0, submitted: 0, submitErrors: 0, cancelled: false,
      createdAt: 5, steps: [], callback: { type: "testing.collect" }, allowPartial: true,
    });
    const [ok, bad] = [await newTask(s, { groupId: id, groupIndex: 0 }), await newTask(s, { groupId: id, groupIndex: 2 })];
    await s.groups.addMembers(id, [{ index: 2, taskId: bad }]);
    await s.groups.addMembers(id, [{ index: 0, taskId: ok }]);
    expect(await s.groups.members(id, 0, 3)).toEqual([ok, bad]);
    expect(await s.groups.members(id, 1, 2)).toEqual([bad]);
    expect(await s.groups.members(id, 0, 0)).toEqual([]);
    await s.groups.progress(id, 2, 1);
    await s.groups.update(id, { callbackTaskId: "cb", error: "why", cancelled: true });
    expect(await s.groups.get(id)).toMatchObject({ submitted: 2, submitErrors: 1, callbackTaskId: "cb", error: "why", cancelled: true });
    await claimOf(s, ok, ok, "run");
    await s.store.finish(ok, "run", QUEUE, success({ v: 1 }), 3600, { groupId: id });
    expect(await s.groups.results([ok, bad, randomUUID()])).toEqual([{ v: 1 }, null, null]);
    expect(await s.groups.results([])).toEqual([]);
  });

  it("workers: a heartbeat is seen for a minute, newest first", async () => {
    const beat = (instance: string, lastSeen: number) => ({ instance, lastSeen, startedAt: 0, running: [], revision: "r" });
    await s.store.heartbeat(beat("w1", s.clock.now - 30_000));
    await s.store.heartbeat(beat("w2", s.clock.now));
    await s.store.heartbeat(beat("w3", s.clock.now - 61_000));
    expect((await s.store.workers()).map((w) => w.instance)).toEqual(["w2", "w1"]);
    s.clock.now += 31_000;
    expect((await s.store.workers()).map((w) => w.instance)).toEqual(["w2"]);
  });
}
