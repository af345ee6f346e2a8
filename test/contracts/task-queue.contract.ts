// One TaskQueue contract, run against the in-memory queue (unit project) and CloudTasksQueue through the
// real client and our Cloud Tasks emulator (emulators project). Tasks are scheduled an hour ahead, so
// nothing is dispatched while a test looks at the queue.
import { beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { EnqueueRequest, TaskQueue } from "../../functions/core/ports.ts";

export interface TaskQueueSubject {
  queue: TaskQueue;
  /** A queue that exists, empty. */
  name: string;
  /** The tasks waiting in a queue: name and body. */
  waiting(queue: string): Promise<{ name: string; body: string }[]>;
}

export function describeTaskQueueContract(label: string, make: () => Promise<TaskQueueSubject>): void {
  describe(`TaskQueue contract: ${label}`, () => {
    let s: TaskQueueSubject;
    beforeEach(async () => {
      s = await make();
    });
    const request = (name: string = randomUUID()): EnqueueRequest => ({
      queue: s.name, name, body: JSON.stringify({ task_id: name }), scheduleTime: Date.now() + 3_600_000, dispatchDeadlineSeconds: 60, worker: "worker",
    });

    it("a name is one task: enqueueing it again succeeds and adds nothing", async () => {
      const first = request();
      await s.queue.enqueue(first);
      await s.queue.enqueue({ ...first, body: "{}" });
      await s.queue.enqueue(request("other"));
      const waiting = (await s.waiting(s.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
      expect(waiting).toEqual([{ name: first.name, body: first.body }, { name: "other", body: JSON.stringify({ task_id: "other" }) }].sort((a, b) => (a.name < b.name ? -1 : 1)));
    });

    it("delete answers whether the task was there; its name stays reserved", async () => {
      const task = request();
      await s.queue.enqueue(task);
      expect(await s.queue.delete(s.name, task.name)).toBe(true);
      expect(await s.queue.delete(s.name, task.name)).toBe(false);
      expect(await s.queue.delete(s.name, randomUUID())).toBe(false);
      await s.queue.enqueue(task);
      expect(await s.waiting(s.name)).toEqual([]);
    });

    it("pause and resume change the state; a paused queue still takes tasks", async () => {
      expect(await s.queue.state(s.name)).toBe("RUNNING");
      await s.queue.pause(s.name);
      expect(await s.queue.state(s.name)).toBe("PAUSED");
      const task = request();
      await s.queue.enqueue(task);
      expect((await s.waiting(s.name)).map((t) => t.name)).toEqual([task.name]);
      await s.queue.resume(s.name);
      expect(await s.queue.state(s.name)).toBe("RUNNING");
    });

    it("a queue that does not exist is a dependency error", async () => {
      const missing = `missing-${randomUUID().slice(0, 8)}`;
      await expect(s.queue.enqueue({ ...request(), queue: missing })).rejects.toMatchObject({ name: "DependencyError" });
      await expect(s.queue.state(missing)).rejects.toMatchObject({ name: "DependencyError" });
      await expect(s.queue.pause(missing)).rejects.toMatchObject({ name: "DependencyError" });
    });
  });
}
