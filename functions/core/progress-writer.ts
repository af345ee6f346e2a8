// Coalesces ctx.progress() calls: at most one write in flight, the latest value
// wins, so a handler may report progress in a tight loop.
import type { TaskStore } from "./ports.ts";

export class ProgressWriter {
  #pending: { percent: number; message: string } | null = null;
  #inflight: Promise<void> | null = null;
  readonly #write: (percent: number, message: string) => Promise<{ revokeRequested: boolean } | null>;
  readonly #onRevoke: () => void;

  constructor(store: TaskStore, taskId: string, runId: string, onRevoke: () => void) {
    this.#write = (percent, message) => store.progress(taskId, runId, percent, message);
    this.#onRevoke = onRevoke;
  }

  report(percent: number, message = ""): Promise<void> {
    const clamped = Math.max(0, Math.min(100, Math.round(Number.isFinite(percent) ? percent : 0)));
    this.#pending = { percent: clamped, message: message.slice(0, 500) };
    this.#inflight ??= this.#drain().finally(() => (this.#inflight = null));
    return this.#inflight;
  }

  /** Waits for the last write; errors were already logged by the caller's store. */
  flush(): Promise<void> {
    return this.#inflight ?? Promise.resolve();
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
