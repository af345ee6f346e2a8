// The TaskQueue contract against the in-memory queue, and what only it offers tests (dispatch, refusals).
import { expect, it } from "vitest";
import { describeTaskQueueContract } from "../../../test/contracts/task-queue.contract.ts";
import { MemoryTaskQueue } from "./memory-task-queue.ts";

describeTaskQueueContract("memory", async () => {
  const queue = new MemoryTaskQueue({ queues: ["default"] });
  return { queue, name: "default", waiting: async (name) => queue.tasks(name).map((t) => ({ name: t.name, body: t.body })) };
});

it("dispatch takes a task off a running queue and reserves its name; refuseEnqueues fails that many enqueues", async () => {
  const clock = { now: 0 };
  const queue = new MemoryTaskQueue({ queues: ["default"], now: () => clock.now, tombstoneMs: 1000 });
  const task = { queue: "default", name: "t1", body: "{}", dispatchDeadlineSeconds: 60, worker: "worker" };
  await queue.enqueue(task);
  await queue.pause("default");
  expect(queue.dispatch("default", "t1")).toBeNull();
  await queue.resume("default");
  expect(queue.dispatch("default", "t1")).toEqual(task);
  expect(queue.dispatch("default", "t1")).toBeNull();
  await queue.enqueue(task);
  expect(queue.tasks("default")).toEqual([]);
  clock.now += 1000;
  queue.refuseEnqueues = 1;
  await expect(queue.enqueue(task)).rejects.toMatchObject({ name: "DependencyError" });
  await queue.enqueue(task);
  expect(queue.tasks("default")).toEqual([task]);
});
