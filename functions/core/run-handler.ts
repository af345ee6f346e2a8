// Runs one handler under its time limits: the soft limit aborts the signal (the
// handler may wind down), the hard limit stops waiting for it.
import type { TimeLimit } from "./define-task.ts";
import { LeaseLost, SoftTimeLimitExceeded, TaskRevoked, TimeLimitExceeded } from "./errors.ts";

export async function runUnderLimits<T>(
  run: (signal: AbortSignal) => Promise<T>,
  limits: TimeLimit,
  controller: AbortController,
): Promise<T> {
  const timers: NodeJS.Timeout[] = [];
  try {
    return await new Promise<T>((resolve, reject) => {
      timers.push(
        setTimeout(() => controller.abort(new SoftTimeLimitExceeded(`soft time limit of ${limits.softSeconds} s exceeded`)), limits.softSeconds * 1000),
        setTimeout(() => reject(new TimeLimitExceeded(`hard time limit of ${limits.hardSeconds} s exceeded`)), limits.hardSeconds * 1000),
      );
      // A revoke (or a lost lease) aborts the signal; stop waiting after a short grace.
      controller.signal.addEventListener("abort", () => {
        if (controller.signal.reason instanceof TaskRevoked || controller.signal.reason instanceof LeaseLost) {
          timers.push(setTimeout(() => reject(controller.signal.reason), 2_000));
        }
      });
      run(controller.signal).then(resolve, reject);
    });
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
}
