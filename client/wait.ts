// Waiting for a task: poll its status until it ends, reporting each change.
import type { TaskView } from "../functions/api/answers.ts";
import { TaskFailedError, WaitTimeoutError } from "./errors.ts";

export interface WaitOptions {
  /** Give up after this long (WaitTimeoutError). Default 5 minutes. */
  timeoutMs?: number;
  /** Time between polls. Default 250 ms. */
  intervalMs?: number;
  /** Called with every poll's view of the task (status, progress, message). */
  onProgress?: (task: TaskView) => void;
  signal?: AbortSignal;
}

const FINAL = ["SUCCESS", "FAILURE", "REVOKED"];

/** Resolves with the task once it is SUCCESS; rejects with TaskFailedError on FAILURE or REVOKED. */
export async function waitForTask(status: (id: string) => Promise<TaskView>, id: string, opts: WaitOptions = {}): Promise<TaskView> {
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const intervalMs = opts.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let task: TaskView | undefined;
  for (;;) {
    opts.signal?.throwIfAborted();
    task = await status(id);
    opts.onProgress?.(task);
    if (FINAL.includes(task.status)) {
      if (task.status === "SUCCESS") return task;
      throw new TaskFailedError(task);
    }
    if (Date.now() + intervalMs > deadline) throw new WaitTimeoutError(id, timeoutMs, task);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
