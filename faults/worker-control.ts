// Kills, stalls and restarts the stack's worker, one operation at a time (a
// random fault and a takeover probe must not restart it at once), as Cloud Run
// would start a new instance after a crash.
import type { Stack } from "../emulators/stack.ts";

export class WorkerControl {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly stack: Stack;
  constructor(stack: Stack) {
    this.stack = stack;
  }

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation, operation);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** SIGKILL, then (after `downMs`) a new worker on the same port; `onKilled` runs right after the kill. */
  kill(downMs: number, onKilled?: () => void): Promise<void> {
    return this.serial(async () => {
      this.stack.worker.process.kill("SIGKILL");
      onKilled?.();
      await new Promise((r) => setTimeout(r, downMs));
      await this.stack.restart("worker");
    });
  }

  /** SIGSTOP for `ms`, then SIGCONT: a frozen instance whose connections stay open. */
  stall(ms: number): Promise<void> {
    return this.serial(async () => {
      const worker = this.stack.worker.process;
      worker.kill("SIGSTOP");
      await new Promise((r) => setTimeout(r, ms));
      worker.kill("SIGCONT");
    });
  }

  /** Waits for any operation under way (the run's end). */
  settle(): Promise<unknown> {
    return this.queue;
  }
}
