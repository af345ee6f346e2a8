// Coalesces ctx.progress() calls: at most one write in flight, the latest value
// wins, so a handler may report progress in a tight loop. Every write (and the
// periodic renew, the revoke poll) renews the run's lease: the heartbeat costs
// no request of its own. A handler waits on a write at most `deadlineMs`: a
// stalled store slows its progress, never its work.
import type { TaskStore } from "./ports.ts";

export interface ProgressWriterOptions {
  taskId: string;
  runId: string;
  /** Each write holds the task for this long again. */
  leaseMs: number;
  onRevoke: () => void;
  /** The run no longer owns the task (another run took it over). */
  onLost: () => void;
  /** The longest a handler waits on a write, ms. Default 1,000. */
  deadlineMs?: number;
}

export class ProgressWriter {
  #pending: { percent: number; message: string } | null = null;
  #inflight: Promise<void> | null = null;
  #renewDue = false;
  readonly #write: (percent: number, message: string) => Promise<{ revokeRequested: boolean } | null>;
  readonly #options: ProgressWriterOptions;
  readonly #deadlineMs: number;

  constructor(store: Pick<TaskStore, "progress">, options: ProgressWriterOptions) {
    this.#options = options;
    this.#deadlineMs = options.deadlineMs ?? 1_000;
    this.#write = (percent, message) => store.progress(options.taskId, options.runId, percent, message, options.leaseMs);
  }

  report(percent: number, message = ""): Promise<void> {
    const clamped = Math.max(0, Math.min(100, Math.round(Number.isFinite(percent) ? percent : 0)));
    this.#pending = { percent: clamped, message: message.slice(0, 500) };
    this.#inflight ??= this.#drain().finally(() => (this.#inflight = null));
    return this.#bounded(this.#inflight);
  }

  /** Reads the revoke flag and renews the lease; a progress write in flight or queued does both. */
  renew(): Promise<void> {
    this.#renewDue = true;
    this.#inflight ??= this.#drain().finally(() => (this.#inflight = null));
    return this.#inflight;
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
    while (this.#pending || this.#renewDue) {
      const { percent, message } = this.#pending ?? { percent: -1, message: "" };
      this.#pending = null;
      this.#renewDue = false;
      await this.#send(percent, message);
    }
  }

  async #send(percent: number, message: string): Promise<void> {
    // A failed write (Redis stalled) is not a lost lease: the next one tries again.
    const answer = await this.#write(percent, message).then((a) => ({ ok: true as const, a }), () => ({ ok: false as const }));
    if (!answer.ok) return;
    if (answer.a === null) this.#options.onLost();
    else if (answer.a.revokeRequested) this.#options.onRevoke();
  }
}
