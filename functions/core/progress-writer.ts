// Coalesces ctx.progress() calls: at most one write in flight, the latest value
// wins, so a handler may report progress in a tight loop. A handler waits on a
// write at most `deadlineMs`: a stalled store slows its progress, never its work.
import type { TaskStore } from "./ports.ts";

export class ProgressWriter {
  #pending: { percent: number; message: string } | null = null;
  #inflight: Promise<void> | null = null;
  readonly #write: (percent: number, message: string) => Promise<{ revokeRequested: boolean } | null>;
  readonly #onRevoke: () => void;
  readonly #deadlineMs: number;

  constructor(store: TaskStore, taskId: string, runId: string, onRevoke: () => void, deadlineMs = 1_000) {
    this.#write = (percent, message) => store.progress(taskId, runId, percent, message);
    this.#onRevoke = onRevoke;
    this.#deadlineMs = deadlineMs;
  }

  report(percent: number, message = ""): Promise<void> {
    const clamped = Math.max(0, Math.min(100, Math.round(Number.isFinite(percent) ? percent : 0)));
    this.#pending = { percent: clamped, message: message.slice(0, 500) };
    this.#inflight ??= this.#drain().finally(() => (this.#inflight = null));
    return this.#bounded(this.#inflight);
  }

  /** Waits for the last write (at most the deadline); errors were already logged by the caller's store. */
  flush(): Promise<void> {
    return this.#inflight ? this.#bounded(this.#inflight) : Promise.resolve();
  }

  #bounded(write: Promise<void>): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#deadlineMs)));
    return Promise.race([write, late]).finally(() => clearTimeout(timer));
  }

  async #drain(): Promise<void> {
    while (this.#pending) {
      const { percent, message } = this.#pending;
      this.#pending = null;
      const answer = await this.#write(percent, message).catch(() => null);
      if (answer?.revokeRequested) this.#onRevoke();
    }
  }
}
