// Faults a test injects through the emulator's handle: each one hits the next
// `times` matching requests, in the order injected, then is gone.
import type { MatchMethod } from "./routes.ts";

interface FaultScope {
  /** How many requests it hits. Default 1. */
  times?: number;
  /** Only requests to this match-v5 method. Default: any request. */
  method?: MatchMethod;
}

export type GameApiFault = FaultScope &
  (
    | {
        /** A 429 from Riot's side, whatever the counts say. */
        kind: "429";
        /** Retry-After header in seconds. Default 1, except for "service" 429s, which at Riot usually come without one. */
        retryAfterSeconds?: number;
        /** X-Rate-Limit-Type header. Default "application". */
        rateLimitType?: "application" | "method" | "service";
      }
    | {
        kind: "5xx";
        /** Default 503. */
        status?: number;
      }
    | {
        /** Answers normally after a delay. */
        kind: "slow";
        delayMs: number;
      }
    | {
        /** Destroys the socket before any response: the client sees a connection reset. */
        kind: "reset";
      }
  );

export class FaultQueue {
  readonly #pending: { fault: GameApiFault; left: number }[] = [];

  inject(fault: GameApiFault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`fault times must be a positive integer, got ${times}`);
    this.#pending.push({ fault, left: times });
  }

  /** The fault this request suffers, if any; uses up one of its `times`. */
  take(method: MatchMethod | undefined): GameApiFault | undefined {
    const index = this.#pending.findIndex((p) => p.fault.method === undefined || p.fault.method === method);
    if (index < 0) return undefined;
    const pending = this.#pending[index] as { fault: GameApiFault; left: number };
    if (--pending.left === 0) this.#pending.splice(index, 1);
    return pending.fault;
  }

  clear(): void {
    this.#pending.length = 0;
  }
}
