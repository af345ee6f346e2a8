// The TaskStore contract, part three: overview() answers what list(), queueCounts() and workers()
// answer, whatever round trips it saves (the Redis store reads it in two pipelines).
import { beforeEach, expect, it } from "vitest";
import { claimOf, failure, newTask, QUEUE, success, type MakeSubject, type TaskStoreSubject } from "./task-store-subject.ts";
import type { ListFilter } from "../../functions/core/ports.ts";

export function overviewContract(make: MakeSubject): void {
  let s: TaskStoreSubject;
  beforeEach(async () => {
    s = await make({ queues: [QUEUE, "other"], tenants: ["acme", "globex"] });
  });

  const same = async (filter: ListFilter, limit: number, cursor?: string) => {
    const overview = await s.store.overview(filter, limit, cursor, 1000);
    expect(overview.page).toEqual(await s.store.list(filter, limit, cursor));
    expect(overview.queues).toEqual({ [QUEUE]: await s.store.queueCounts(QUEUE), other: await s.store.queueCounts("other") });
    expect(overview.workers).toEqual(await s.store.workers());
    return overview;
  };

  it("overview: the same counts, page and workers as list(), queueCounts() and workers()", async () => {
    const tick = () => (s.clock.now += 10);
    const ids: string[] = [];
    for (const [tenant, queue] of [["acme", QUEUE], ["globex", QUEUE], ["acme", "other"], ["globex", "other"], ["acme", QUEUE]] as const) {
      tick();
      ids.push(await newTask(s, { tenant, queue }));
    }
    await claimOf(s, ids[0]!, ids[0]!, "run");
    await s.store.finish(ids[0]!, "run", QUEUE, success(1), 3600);
    await claimOf(s, ids[1]!, ids[1]!, "run");
    await s.store.finish(ids[1]!, "run", QUEUE, failure(), 3600);
    await s.store.heartbeat({ instance: "w1", lastSeen: s.clock.now, startedAt: 0, running: [ids[2]!], revision: "r" });

    const all = await same({ tenants: ["acme"] }, 50);
    expect(all.page.tasks.map((t) => t.id)).toEqual([ids[4], ids[2], ids[0]]);
    await same({ tenants: "*" }, 50);
    await same({ tenants: "*", status: "FAILURE" }, 50);
    await same({ tenants: ["acme", "globex"], queue: "other" }, 50);
    const first = await same({ tenants: "*" }, 2);
    expect(first.page.nextCursor).not.toBeNull();
    await same({ tenants: "*" }, 2, first.page.nextCursor!);
  });

  it("overview: a filter that the newest 200 entries do not satisfy walks on as list() does", async () => {
    s.clock.now += 1;
    const old = await newTask(s);
    await claimOf(s, old, old, "run");
    await s.store.finish(old, "run", QUEUE, failure(), 3600);
    for (let i = 0; i < 205; i++) {
      s.clock.now += 1;
      await newTask(s);
    }
    const overview = await same({ tenants: ["acme"], status: "FAILURE" }, 5);
    expect(overview.page.tasks.map((t) => t.id)).toEqual([old]);
  });
}
