// The TaskStore contract, part one: submit, claim, progress and finish, with their fences.
import { beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { claimOf, failure, newTask, QUEUE, retryTo, success, taskOf, type MakeSubject, type TaskStoreSubject } from "./task-store-subject.ts";

export function lifecycleContract(make: MakeSubject): void {
  let s: TaskStoreSubject;
  beforeEach(async () => {
    s = await make({ queues: [QUEUE, "other"], tenants: ["acme", "globex"] });
  });

  describe("submit", () => {
    it("writes a PENDING record that reads back as submitted", async () => {
      const task = taskOf(s, { eta: s.clock.now + 60_000, status: "SCHEDULED", callbackUrl: "https://example.com/hook", priority: "high" });
      expect(await s.store.create(task)).toEqual({ created: true });
      expect(await s.store.summary(task.id)).toEqual({
        id: task.id, tenant: "acme", type: "testing.noop", queue: QUEUE, priority: "high", status: "SCHEDULED", progress: 0, message: "",
        attempts: 0, maxAttempts: 3, createdAt: task.createdAt, eta: task.eta, resultAvailable: false, cloudTask: task.id, callbackUrl: "https://example.com/hook",
      });
      expect((await s.store.detail(task.id))?.payload).toBe('{"n":1}');
      expect(await s.store.summary(randomUUID())).toBeNull();
      expect(await s.store.detail(randomUUID())).toBeNull();
    });

    it("an idempotency key replays the same request, answers reused for another, and belongs to one tenant and scope", async () => {
      const key = { scope: "POST /v1/tasks", key: "k1", fingerprint: "f1" };
      const first = taskOf(s);
      expect(await s.store.create(first, key)).toEqual({ created: true });
      const again = await s.store.create(taskOf(s), key);
      expect(again).toMatchObject({ created: false, reused: false, existing: { id: first.id } });
      expect(await s.store.create(taskOf(s), { ...key, fingerprint: "f2" })).toMatchObject({ created: false, reused: true, existing: { id: first.id } });
      // Without a fingerprint on either side, any request replays.
      expect(await s.store.create(taskOf(s), { scope: key.scope, key: key.key })).toMatchObject({ created: false, reused: false });
      expect(await s.store.create(taskOf(s, { tenant: "globex" }), key)).toEqual({ created: true });
      expect(await s.store.create(taskOf(s), { ...key, scope: "POST /v1/groups" })).toEqual({ created: true });
    });

    it("remove undoes a create: the record, its index entry and its idempotency key go", async () => {
      const key = { scope: "POST /v1/tasks", key: "k2", fingerprint: "f" };
      const task = taskOf(s);
      await s.store.create(task, key);
      await s.store.remove(task, key);
      expect(await s.store.summary(task.id)).toBeNull();
      expect((await s.store.list({ tenants: ["acme"] }, 10)).tasks).toEqual([]);
      expect(await s.store.create(taskOf(s), key)).toEqual({ created: true });
    });

    it("a replay that answered the task's id keeps it through the first submit's undo", async () => {
      // The first submit wrote its record; a retry with the same key was answered its id; then the first
      // submit's enqueue failed and it undoes: the record must stay, for the id the retry was given.
      const key = { scope: "POST /v1/tasks", key: "k4", fingerprint: "f" };
      const first = taskOf(s);
      await s.store.create(first, key);
      expect(await s.store.create(taskOf(s), key)).toMatchObject({ created: false, reused: false, existing: { id: first.id } });
      await s.store.remove(first, key);
      expect(await s.store.summary(first.id)).toMatchObject({ id: first.id, status: "PENDING" });
      expect(await s.store.create(taskOf(s), key)).toMatchObject({ created: false, existing: { id: first.id } });
      // A request that reused the key for something else was told no id to keep: the undo still removes.
      const other = { ...key, key: "k5" };
      const second = taskOf(s);
      await s.store.create(second, other);
      expect(await s.store.create(taskOf(s), { ...other, fingerprint: "g" })).toMatchObject({ reused: true });
      await s.store.remove(second, other);
      expect(await s.store.summary(second.id)).toBeNull();
    });

    it("a key whose task is gone is taken by the next request", async () => {
      const key = { scope: "POST /v1/tasks", key: "k3", fingerprint: "f" };
      const task = taskOf(s);
      await s.store.create(task, key);
      await s.store.remove(task);
      const next = taskOf(s);
      expect(await s.store.create(next, { ...key, fingerprint: "other" })).toEqual({ created: true });
      expect(await s.store.create(taskOf(s), key)).toMatchObject({ created: false, reused: true, existing: { id: next.id } });
    });
  });

  describe("claim", () => {
    it("answers missing for a record that does not exist", async () => {
      expect(await claimOf(s, randomUUID(), "ct", "run")).toEqual({ kind: "missing" });
    });

    it("hands out the record's type, tenant and payload, the attempt and the group; the task is STARTED", async () => {
      const id = await newTask(s, { tenant: "globex", priority: "high", callbackUrl: "https://example.com/cb", groupId: "g1", groupIndex: 4 });
      expect(await claimOf(s, id, id, "run-a")).toEqual({
        kind: "claimed", attempt: 1, revokeRequested: false, priority: "high", callbackUrl: "https://example.com/cb", group: { id: "g1", index: 4 },
        type: "testing.noop", tenant: "globex", payload: '{"n":1}',
      });
      expect(await s.store.summary(id)).toMatchObject({ status: "STARTED", attempts: 1, startedAt: s.clock.now });
    });

    it("the lease is the shorter of the claim's and the record's; busy until it runs out, then taken over", async () => {
      const id = await newTask(s, { leaseMs: 5_000 });
      await claimOf(s, id, id, "run-a", 30_000);
      expect(await claimOf(s, id, id, "run-b")).toEqual({ kind: "busy", leaseUntil: s.clock.now + 5_000 });
      // Another Cloud Task's delivery while the lease holds is busy too (maybe the next attempt's, RETRY not yet written).
      expect(await claimOf(s, id, "another", "run-b")).toEqual({ kind: "busy", leaseUntil: s.clock.now + 5_000 });
      s.clock.now += 5_000;
      expect(await claimOf(s, id, id, "run-b", 2_000)).toMatchObject({ kind: "claimed", attempt: 2 });
      expect(await claimOf(s, id, id, "run-c")).toEqual({ kind: "busy", leaseUntil: s.clock.now + 2_000 });
    });

    it("a delivery of an older Cloud Task than the record's is stale", async () => {
      const id = await newTask(s);
      await claimOf(s, id, id, "run-a");
      expect((await s.store.finish(id, "run-a", QUEUE, retryTo(`${id}-2`, s.clock.now + 1000), 3600)).owned).toBe(true);
      // The Cloud Task that wrote RETRY, late: it runs nothing, it only makes sure of the next attempt's.
      expect(await claimOf(s, id, id, "run-late")).toMatchObject({ kind: "retry", cloudTask: `${id}-2` });
      expect(await claimOf(s, id, `${id}-old`, "run-late")).toEqual({ kind: "stale" });
      s.clock.now += 1000;
      expect(await claimOf(s, id, `${id}-2`, "run-b")).toMatchObject({ kind: "claimed", attempt: 2 });
    });

    it("a delivery before the ETA is early (1 s of skew allowed)", async () => {
      const eta = s.clock.now + 10_000;
      const id = await newTask(s, { status: "SCHEDULED", eta });
      expect(await claimOf(s, id, id, "run-a")).toEqual({ kind: "early", eta });
      s.clock.now = eta - 1000;
      expect(await claimOf(s, id, id, "run-a")).toMatchObject({ kind: "claimed", attempt: 1 });
    });

    it("a duplicate delivery of a final task gets the follow-ups still pending", async () => {
      const id = await newTask(s);
      await claimOf(s, id, id, "run-a");
      await s.store.finish(id, "run-a", QUEUE, failure(), 3600, { followUps: ["event", "callback"] });
      expect(await claimOf(s, id, id, "run-dup")).toEqual({ kind: "final", status: "FAILURE", pending: ["event", "callback"] });
      await s.store.followUpsDone(id, ["event", "callback"]);
      expect(await claimOf(s, id, id, "run-dup")).toEqual({ kind: "final", status: "FAILURE", pending: [] });
    });

    it("a claim with a heartbeat makes its worker visible", async () => {
      const id = await newTask(s);
      const beat = { instance: "worker-1", lastSeen: s.clock.now, startedAt: s.clock.now - 1000, running: [id], revision: "r1" };
      await s.store.claim(id, { cloudTask: id, runId: "run-a", leaseMs: 30_000, workerId: "worker-1", heartbeat: beat });
      expect(await s.store.workers()).toEqual([beat]);
    });
  });

  describe("progress", () => {
    it("is written by the run that holds the task, renews its lease, and is refused to any other run", async () => {
      const id = await newTask(s);
      await claimOf(s, id, id, "run-a", 10_000);
      s.clock.now += 8_000;
      expect(await s.store.progress(id, "run-a", 40, "halfway", 10_000)).toEqual({ revokeRequested: false });
      expect(await s.store.summary(id)).toMatchObject({ progress: 40, message: "halfway" });
      s.clock.now += 8_000; // past the claim's lease, within the renewed one
      expect(await claimOf(s, id, id, "run-b")).toEqual({ kind: "busy", leaseUntil: s.clock.now + 2_000 });
      expect(await s.store.progress(id, "run-b", 90, "intruder", 10_000)).toBeNull();
      // A negative percent only reads (and renews).
      expect(await s.store.progress(id, "run-a", -1, "ignored", 10_000)).toEqual({ revokeRequested: false });
      expect(await s.store.summary(id)).toMatchObject({ progress: 40, message: "halfway" });
      expect(await claimOf(s, id, id, "run-b")).toEqual({ kind: "busy", leaseUntil: s.clock.now + 10_000 });
    });

    it("a run that lost its lease is told so, and its write is not kept", async () => {
      const id = await newTask(s);
      await claimOf(s, id, id, "run-a", 10_000);
      s.clock.now += 10_001;
      await claimOf(s, id, id, "run-b", 10_000);
      expect(await s.store.progress(id, "run-a", 50, "late", 10_000)).toBeNull();
      expect((await s.store.summary(id))?.progress).toBe(0);
    });

    it("is refused once the task is no longer STARTED, and for a missing task", async () => {
      const id = await newTask(s);
      await claimOf(s, id, id, "run-a");
      await s.store.finish(id, "run-a", QUEUE, success(1), 3600);
      expect(await s.store.progress(id, "run-a", 10, "", 10_000)).toBeNull();
      expect(await s.store.progress(randomUUID(), "run-a", 10, "", 10_000)).toBeNull();
    });
  });

  describe("finish", () => {
    it("a SUCCESS after a RETRY shows no error", async () => {
      const id = await newTask(s);
      await claimOf(s, id, id, "a");
      await s.store.finish(id, "a", QUEUE, retryTo(`${id}-2`, s.clock.now), 3600);
      await claimOf(s, id, `${id}-2`, "b");
      await s.store.finish(id, "b", QUEUE, success(1), 3600);
      expect((await s.store.summary(id))?.error).toBeUndefined();
    });

    it("a queued chord member revoked counts in its group, and the chord's callback goes to the outbox", async () => {
      const chord = randomUUID();
      await s.groups.create({ id: chord, tenant: "acme", kind: "chord", total: 2, createdAt: s.clock.now, steps: [], callback: { type: "testing.collect" }, allowPartial: true });
      const first = await newTask(s, { groupId: chord, groupIndex: 0 });
      const second = await newTask(s, { groupId: chord, groupIndex: 1, callbackUrl: "https://hooks.example/x" });
      await claimOf(s, first, first, "a");
      expect((await s.store.finish(first, "a", QUEUE, success(1), 3600, { groupId: chord })).followUps).toEqual([]);
      expect((await s.store.revoke(second, false, 3600)).kind).toBe("revoked");
      expect((await s.groups.get(chord))).toMatchObject({ done: 2, revoked: 1 });
      expect((await s.store.finishedTask(second))?.pending.sort()).toEqual(["callback", "chord"]);
      expect(await s.store.outboxDue(s.clock.now + 1, 10)).toContain(second);
    });

    it("a run that outlived its lease cannot overwrite the run that took over", async () => {
      const id = await newTask(s);
      await claimOf(s, id, id, "run-a", 10_000);
      s.clock.now += 11_000;
      await claimOf(s, id, id, "run-b", 10_000);
      expect(await s.store.finish(id, "run-a", QUEUE, success("from a"), 3600)).toEqual({ owned: false, followUps: [], finishedAt: s.clock.now });
      expect((await s.store.finish(id, "run-b", QUEUE, success("from b"), 3600)).owned).toBe(true);
      expect(JSON.parse((await s.store.detail(id))!.result!)).toBe("from b");
    });

    it("is refused for a task never claimed, and a second time for the same run", async () => {
      const id = await newTask(s);
      expect((await s.store.finish(id, "run-a", QUEUE, success(1), 3600)).owned).toBe(false);
      expect((await s.store.summary(id))?.status).toBe("PENDING");
      await claimOf(s, id, id, "run-a");
      expect((await s.store.finish(id, "run-a", QUEUE, success(1), 3600)).owned).toBe(true);
      expect((await s.store.finish(id, "run-a", QUEUE, failure(), 3600)).owned).toBe(false);
      expect((await s.store.summary(id))?.status).toBe("SUCCESS");
    });

    it("SUCCESS keeps the result; FAILURE the error; both their finish time", async () => {
      const ok = await newTask(s);
      const bad = await newTask(s);
      await claimOf(s, ok, ok, "run");
      await claimOf(s, bad, bad, "run");
      s.clock.now += 2_000;
      expect(await s.store.finish(ok, "run", QUEUE, success({ a: 1 }), 3600)).toEqual({ owned: true, followUps: [], finishedAt: s.clock.now });
      expect(await s.store.detail(ok)).toMatchObject({ status: "SUCCESS", progress: 100, resultAvailable: true, result: '{"a":1}', finishedAt: s.clock.now });
      await s.store.finish(bad, "run", QUEUE, failure("broken"), 3600);
      const detail = await s.store.detail(bad);
      expect(detail).toMatchObject({ status: "FAILURE", resultAvailable: false, error: { type: "Boom", message: "broken" }, finishedAt: s.clock.now });
      expect(detail?.result).toBeUndefined();
    });

    it("an outcome replaces the handler's last progress message (no \"delivering\" on a finished task)", async () => {
      const ok = await newTask(s);
      const retried = await newTask(s);
      for (const id of [ok, retried]) {
        await claimOf(s, id, id, "run");
        await s.store.progress(id, "run", 10, "delivering", 30_000);
      }
      await s.store.finish(ok, "run", QUEUE, success({ a: 1 }), 3600);
      expect(await s.store.summary(ok)).toMatchObject({ status: "SUCCESS", message: "done" });
      await s.store.finish(retried, "run", QUEUE, retryTo(`${retried}-2`, s.clock.now + 5_000), 3600);
      expect(await s.store.summary(retried)).toMatchObject({ status: "RETRY", message: "waiting to retry" });
      expect((await s.store.revoke(retried, false, 3600)).kind).toBe("revoked");
      expect(await s.store.summary(retried)).toMatchObject({ status: "REVOKED", message: "revoked" });
    });

    it("RETRY names the next attempt's Cloud Task and keeps the task alive; unretry undoes the name until it is claimed", async () => {
      const id = await newTask(s);
      await claimOf(s, id, id, "run-a");
      const next = s.clock.now + 5_000;
      expect(await s.store.finish(id, "run-a", QUEUE, retryTo(`${id}-2`, next), 1)).toEqual({ owned: true, followUps: [], finishedAt: s.clock.now });
      expect(await s.store.summary(id)).toMatchObject({ status: "RETRY", nextAttemptAt: next, cloudTask: `${id}-2`, error: { type: "Error", message: "again" } });
      expect(await s.store.unretry(id, `${id}-2`, id)).toBe(true);
      expect(await claimOf(s, id, `${id}-2`, "run-x")).toEqual({ kind: "stale" });
      // The current Cloud Task carries the next attempt, at the end of the backoff.
      expect(await claimOf(s, id, id, "run-b")).toEqual({ kind: "early", eta: next });
      await s.letTimePass(5_000);
      expect(await claimOf(s, id, id, "run-b")).toMatchObject({ kind: "claimed", attempt: 2 });
      expect(await s.store.unretry(id, `${id}-2`, id)).toBe(false);
      await s.letTimePass(1_100); // the ttl given with RETRY does not apply
      expect((await s.store.summary(id))?.status).toBe("STARTED");
    });

    it("a final state expires with its ttl", async () => {
      const id = await newTask(s);
      await claimOf(s, id, id, "run");
      await s.store.finish(id, "run", QUEUE, success(1), 1);
      await s.letTimePass(1_100);
      expect(await s.store.summary(id)).toBeNull();
      expect(await claimOf(s, id, id, "run-dup")).toEqual({ kind: "missing" });
      expect(await s.store.finishedTask(id)).toBeNull();
    });

    it("counts a group member once, with its group's follow-ups: chain on every step, chord on the last", async () => {
      const group = randomUUID();
      await s.groups.create({ id: group, tenant: "acme", kind: "group", total: 2, createdAt: s.clock.now, steps: [], allowPartial: false });
      const [a, b] = [await newTask(s, { groupId: group, groupIndex: 0 }), await newTask(s, { groupId: group, groupIndex: 1 })];
      await claimOf(s, a!, a!, "run");
      await claimOf(s, b!, b!, "run");
      expect(await s.store.finish(a!, "run", QUEUE, success(1), 3600, { groupId: group })).toMatchObject({ owned: true, group: { done: 1, total: 2 }, followUps: [] });
      expect((await s.store.finish(a!, "run", QUEUE, success(1), 3600, { groupId: group })).owned).toBe(false);
      expect((await s.store.finish(b!, "run", QUEUE, failure(), 3600, { groupId: group })).group).toEqual({ done: 2, total: 2 });
      expect(await s.groups.get(group)).toMatchObject({ done: 2, succeeded: 1, failed: 1 });

      const chord = randomUUID();
      await s.groups.create({ id: chord, tenant: "acme", kind: "chord", total: 2, createdAt: s.clock.now, steps: [], callback: { type: "testing.collect" }, allowPartial: false });
      const due: unknown[] = [];
      for (let index = 0; index < 2; index += 1) {
        const id = await newTask(s, { groupId: chord, groupIndex: index });
        await claimOf(s, id, id, "run");
        due.push((await s.store.finish(id, "run", QUEUE, success(index), 3600, { groupId: chord, followUps: ["event"] })).followUps);
      }
      expect(due).toEqual([["event"], ["event", "chord"]]);

      const chain = randomUUID();
      await s.groups.create({ id: chain, tenant: "acme", kind: "chain", total: 2, createdAt: s.clock.now, steps: [{ type: "testing.noop" }, { type: "testing.noop" }], allowPartial: false });
      const step = await newTask(s, { groupId: chain, groupIndex: 0 });
      await claimOf(s, step, step, "run");
      const retried = await s.store.finish(step, "run", QUEUE, retryTo(`${step}-2`, s.clock.now), 3600, { groupId: chain });
      expect(retried).toEqual({ owned: true, followUps: [], finishedAt: s.clock.now }); // RETRY is not counted
      expect(await claimOf(s, step, `${step}-2`, "run-2")).toMatchObject({ kind: "claimed", attempt: 2 });
      // The next attempt claimed before its enqueue answered: an undo now would strand it.
      expect(await s.store.unretry(step, `${step}-2`, step)).toBe(false);
      expect((await s.store.finish(step, "run-2", QUEUE, success(0), 3600, { groupId: chain })).followUps).toEqual(["chain"]);
      expect((await s.groups.get(chain))?.done).toBe(1);
    });
  });
}
