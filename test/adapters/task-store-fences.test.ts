// The fences of a task's state changes, on the real scripts in a private
// redis-server behind the Upstash bridge: each test is the one that fails when
// its fence is taken out (the run-id fence of FINISH, the claim's lease and
// stale-delivery checks, the chord's done == total), plus the outbox, the
// heartbeat lease and the RETRY undo.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Redis } from "@upstash/redis";
import { startRedisServer, type RedisServer } from "../../emulators/redis-server.ts";
import { startUpstashBridge, type UpstashBridge } from "../../emulators/upstash/index.ts";
import { RedisTaskStore, type RawRedis } from "../../functions/adapters/redis/task-store.ts";
import { RedisGroupStore } from "../../functions/adapters/redis/group-store.ts";
import type { NewTask } from "../../functions/core/task-record.ts";

let server: RedisServer;
let bridge: UpstashBridge;
let store: RedisTaskStore;
let groups: RedisGroupStore;
let clock = Date.now();
let raw: RawRedis;
let lateprefix: string;

beforeAll(async () => {
  server = await startRedisServer();
  bridge = await startUpstashBridge({ redisPort: server.port });
  raw = new Redis({ url: bridge.url, token: bridge.token, enableTelemetry: false, automaticDeserialization: false }) as unknown as RawRedis;
  const prefix = `fence${Date.now()}`;
  lateprefix = `${prefix}late`;
  // The store's clock is the test's: a lease runs out when the test says so, not after a sleep.
  store = new RedisTaskStore(raw, { prefix, queues: ["default"], tenants: () => ["acme"], now: () => clock });
  groups = new RedisGroupStore(raw, prefix);
});
afterAll(async () => {
  await bridge?.close();
  await server?.stop();
});

async function newTask(extra: Partial<NewTask> = {}): Promise<string> {
  const id = randomUUID();
  await store.create({
    id, tenant: "acme", type: "testing.noop", queue: "default", priority: "normal", status: "PENDING", createdAt: clock,
    maxAttempts: 3, resultTtlSeconds: 3600, leaseMs: 305_000, cloudTask: id, payload: "{}", ...extra,
  });
  return id;
}

const claim = (id: string, cloudTask: string, runId: string, leaseMs = 30_000) => store.claim(id, { cloudTask, runId, leaseMs, workerId: "w" });
const success = (value: unknown) => ({ status: "SUCCESS" as const, result: JSON.stringify(value) });

describe("FINISH is fenced by the run id", () => {
  it("a run that outlived its lease cannot overwrite the run that took over", async () => {
    const id = await newTask();
    expect(await claim(id, id, "run-a", 10_000)).toMatchObject({ kind: "claimed", attempt: 1 });
    clock += 11_000; // run-a's worker went silent past its lease
    expect(await claim(id, id, "run-b", 10_000)).toMatchObject({ kind: "claimed", attempt: 2 });
    // run-a wakes up and finishes: fenced off, whatever it says.
    expect((await store.finish(id, "run-a", "default", success("from a"), 3600)).owned).toBe(false);
    expect((await store.finish(id, "run-b", "default", success("from b"), 3600)).owned).toBe(true);
    const detail = await store.detail(id);
    expect(detail?.status).toBe("SUCCESS");
    expect(JSON.parse(detail!.result!)).toBe("from b");
  });

  it("a duplicate finish of the same run counts a group member once", async () => {
    const groupId = randomUUID();
    await groups.create({ id: groupId, tenant: "acme", kind: "group", total: 1, createdAt: clock, steps: [], allowPartial: false });
    const id = await newTask({ groupId, groupIndex: 0 });
    await claim(id, id, "run-a");
    expect((await store.finish(id, "run-a", "default", success(1), 3600, { groupId })).group).toEqual({ done: 1, total: 1 });
    expect((await store.finish(id, "run-a", "default", success(1), 3600, { groupId })).owned).toBe(false);
    expect((await groups.get(groupId))?.done).toBe(1);
  });
});

describe("CLAIM", () => {
  it("answers busy while another run holds the lease, and hands the task over once it runs out", async () => {
    const id = await newTask();
    expect(await claim(id, id, "run-a", 10_000)).toMatchObject({ kind: "claimed" });
    const busy = await claim(id, id, "run-b", 10_000);
    expect(busy).toEqual({ kind: "busy", leaseUntil: clock + 10_000 });
    clock += 10_001;
    expect(await claim(id, id, "run-b", 10_000)).toMatchObject({ kind: "claimed", attempt: 2 });
  });

  it("answers stale to a delivery of an older Cloud Task than the record's, and runs nothing for the one that wrote RETRY", async () => {
    const id = await newTask();
    await claim(id, id, "run-a");
    const retry = { status: "RETRY" as const, error: { type: "Error", message: "boom" }, nextAttemptAt: clock + 1000, cloudTask: `${id}-2` };
    expect((await store.finish(id, "run-a", "default", retry, 3600)).owned).toBe(true);
    // A late copy of the first Cloud Task: the next attempt belongs to `${id}-2`; the copy only makes sure it exists.
    expect(await claim(id, id, "run-late")).toEqual({ kind: "retry", cloudTask: `${id}-2`, nextAttemptAt: clock + 1000, type: "testing.noop", priority: "normal" });
    expect(await claim(id, `${id}-x`, "run-other")).toEqual({ kind: "stale" });
    clock += 1000;
    expect(await claim(id, `${id}-2`, "run-b")).toMatchObject({ kind: "claimed", attempt: 2 });
  });
});

describe("heartbeat leases (PROGRESS)", () => {
  it("each renewal holds the task one lease longer; a run that lost it is told", async () => {
    const id = await newTask();
    await claim(id, id, "run-a", 10_000);
    for (let i = 0; i < 5; i += 1) {
      clock += 8_000; // longer in all than the lease, but renewed within it every time
      expect(await store.progress(id, "run-a", -1, "", 10_000)).toEqual({ revokeRequested: false });
      expect((await claim(id, id, "run-b", 10_000)).kind).toBe("busy");
    }
    clock += 10_001;
    expect(await claim(id, id, "run-b", 10_000)).toMatchObject({ kind: "claimed" });
    expect(await store.progress(id, "run-a", 50, "late", 10_000)).toBeNull();
    expect((await store.summary(id))?.progress).toBe(0);
  });
});

describe("the outbox", () => {
  it("records follow-ups with the final state, hands them to a redelivery and the sweep until marked done", async () => {
    const id = await newTask({ callbackUrl: "https://example.com/hook" });
    await claim(id, id, "run-a");
    const written = await store.finish(id, "run-a", "default", { status: "FAILURE", error: { type: "Boom", message: "no" } }, 3600, { followUps: ["event", "callback"] });
    expect(written).toMatchObject({ owned: true, followUps: ["event", "callback"] });
    expect(await claim(id, id, "run-dup")).toEqual({ kind: "final", status: "FAILURE", pending: ["event", "callback"] });
    expect(await store.outboxDue(clock, 100)).toContain(id);
    const found = await store.finishedTask(id);
    expect(found?.pending).toEqual(["event", "callback"]);
    expect(found?.task).toMatchObject({ taskId: id, runId: "run-a", callbackUrl: "https://example.com/hook", outcome: { status: "FAILURE", error: { type: "Boom" } } });
    expect(await store.followUpsDone(id, ["event"])).toEqual(["callback"]);
    expect(await claim(id, id, "run-dup")).toEqual({ kind: "final", status: "FAILURE", pending: ["callback"] });
    expect(await store.followUpsDone(id, ["callback"])).toEqual([]);
    expect(await claim(id, id, "run-dup")).toEqual({ kind: "final", status: "FAILURE", pending: [] });
    expect(await store.outboxDue(clock, 100)).not.toContain(id);
  });

  it("a plain success records nothing", async () => {
    const id = await newTask();
    await claim(id, id, "run-a");
    expect(await store.finish(id, "run-a", "default", success(null), 3600, { followUps: [] })).toMatchObject({ owned: true, followUps: [] });
    expect(await store.outboxDue(clock, 1000)).not.toContain(id);
  });

  it("a chord's callback is due with the member that completes it, and only that one", async () => {
    const groupId = randomUUID();
    await groups.create({ id: groupId, tenant: "acme", kind: "chord", total: 3, createdAt: clock, steps: [], callback: { type: "testing.collect" }, allowPartial: false });
    const due: string[][] = [];
    for (let index = 0; index < 3; index += 1) {
      const id = await newTask({ groupId, groupIndex: index });
      await claim(id, id, "run");
      due.push((await store.finish(id, "run", "default", success(index), 3600, { groupId, followUps: [] })).followUps);
    }
    expect(due).toEqual([[], [], ["chord"]]);
  });

  it("every step of a chain records its chain follow-up", async () => {
    const groupId = randomUUID();
    await groups.create({ id: groupId, tenant: "acme", kind: "chain", total: 2, createdAt: clock, steps: [{ type: "testing.noop" }, { type: "testing.noop" }], allowPartial: false });
    const id = await newTask({ groupId, groupIndex: 0 });
    await claim(id, id, "run");
    expect((await store.finish(id, "run", "default", success(0), 3600, { groupId, followUps: ["event"] })).followUps).toEqual(["event", "chain"]);
  });
});

describe("RETRY before enqueue", () => {
  it("undoing the next attempt's name lets the current Cloud Task carry it", async () => {
    const id = await newTask();
    await claim(id, id, "run-a");
    const retry = { status: "RETRY" as const, error: { type: "Error", message: "boom" }, nextAttemptAt: clock + 1000, cloudTask: `${id}-2` };
    await store.finish(id, "run-a", "default", retry, 3600);
    expect(await store.unretry(id, `${id}-2`, id)).toBe(true);
    expect(await claim(id, `${id}-2`, "run-x")).toEqual({ kind: "stale" });
    expect(await claim(id, id, "run-b")).toMatchObject({ kind: "claimed", attempt: 2 });
    // Once the next attempt runs, an undo is refused.
    expect(await store.unretry(id, `${id}-2`, id)).toBe(false);
  });
});

describe("CLAIM runs nothing before it is due", () => {
  it("answers early to a delivery before the ETA, and claims at it", async () => {
    const id = await newTask({ status: "SCHEDULED", eta: clock + 60_000 });
    expect(await claim(id, id, "run-a")).toEqual({ kind: "early", eta: clock + 60_000 });
    clock += 60_000;
    expect(await claim(id, id, "run-a")).toMatchObject({ kind: "claimed", attempt: 1 });
  });

  it("answers early to the next attempt's Cloud Task before its backoff ends", async () => {
    const id = await newTask();
    expect(await claim(id, id, "run-a")).toMatchObject({ kind: "claimed", attempt: 1 });
    const retry = { status: "RETRY" as const, error: { type: "Error", message: "flaky" }, nextAttemptAt: clock + 30_000, cloudTask: `${id}-2` };
    expect((await store.finish(id, "run-a", "default", retry, 3600)).owned).toBe(true);
    expect(await claim(id, `${id}-2`, "run-b")).toEqual({ kind: "early", eta: clock + 30_000 });
    clock += 30_000;
    expect(await claim(id, `${id}-2`, "run-b")).toMatchObject({ kind: "claimed", attempt: 2 });
  });
});

describe("SUBMIT writes nothing once its caller gave up", () => {
  it("refuses a submit that reaches Redis after its deadline, leaving no record and no index entry", async () => {
    const late = new RedisTaskStore(raw, { prefix: lateprefix, queues: ["default"], tenants: () => ["acme"], submitDeadlineMs: -1_000 });
    const id = randomUUID();
    await expect(late.create({
      id, tenant: "acme", type: "testing.noop", queue: "default", priority: "normal", status: "PENDING", createdAt: Date.now(),
      maxAttempts: 3, resultTtlSeconds: 3600, leaseMs: 305_000, cloudTask: id, payload: "{}",
    })).rejects.toMatchObject({ name: "DependencyError" });
    expect(await late.summary(id)).toBeNull();
    expect((await late.list({ tenants: ["acme"] }, 10)).tasks).toEqual([]);
  });
});
