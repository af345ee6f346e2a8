// Drives the local Cloud Tasks emulator from the bench process with the real
// client: pause, resume, purge, raise a queue's rate, and tell when a queue has
// drained. None of it touches Redis, so it does not disturb the Redis counts.
import { CloudTasksClient } from "@google-cloud/tasks";
import { cloudTasksClientOptions } from "../emulators/cloud-tasks/index.ts";
import type { Stack } from "../emulators/stack.ts";

export type QueueControl = ReturnType<typeof queueControl>;

export function queueControl(stack: Stack) {
  const client = new CloudTasksClient({ ...cloudTasksClientOptions(stack.cloudTasks.port), projectId: "local" });
  const name = (queue: string) => client.queuePath("local", "us-central1", queue);
  return {
    pause: async (...queues: string[]) => { for (const q of queues) await client.pauseQueue({ name: name(q) }); },
    resume: async (...queues: string[]) => { for (const q of queues) await client.resumeQueue({ name: name(q) }); },
    purge: async (...queues: string[]) => { for (const q of queues) await client.purgeQueue({ name: name(q) }); },
    /** Sets max_dispatches_per_second (the emulator must allow it: maxDispatchesPerSecondCap). */
    setRate: async (queue: string, perSecond: number) => {
      await client.updateQueue({
        queue: { name: name(queue), rateLimits: { maxDispatchesPerSecond: perSecond } },
        updateMask: { paths: ["rate_limits.max_dispatches_per_second"] },
      });
    },
    /** True once every task of the queues was delivered and acknowledged (the worker answered 2xx). */
    drained: async (...queues: string[]) => {
      for (const q of queues) {
        const [tasks] = await client.listTasks({ parent: name(q), pageSize: 1 }, { autoPaginate: false });
        if (tasks.length > 0) return false;
      }
      return true;
    },
    /** Resolves once the named task is gone from its queue (acknowledged), or throws after timeoutMs. */
    async waitGone(queue: string, task: string, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          await client.getTask({ name: `${name(queue)}/tasks/${task}` });
        } catch {
          return;
        }
        if (Date.now() > deadline) throw new Error(`task ${task} still queued after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 1));
      }
    },
    close: () => client.close(),
  };
}
