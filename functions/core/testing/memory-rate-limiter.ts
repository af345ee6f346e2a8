// Rate limits in memory: the sliding-window counter of the Redis fragment (adapters/redis/lua.ts RATE_LIMITED),
// on the injected clock. The memory task store counts charges here, as the Redis scripts do.
import { RateLimitedError, type RateCharge, type RateLimiter } from "../rate-limit.ts";

export class MemoryRateLimiter implements RateLimiter {
  /** Count per fixed window, by "<label> <key> <window index>". */
  readonly #counts = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async charge(charge: RateCharge): Promise<void> {
    this.chargeNow(charge);
  }

  /** charge() in one synchronous step, for the store's calls that count a charge with their write. */
  chargeNow(charge: RateCharge): void {
    const now = this.#now();
    const window = Math.floor(now / charge.windowMs);
    const key = (w: number) => `${charge.label} ${charge.key} ${w}`;
    const elapsed = now % charge.windowMs;
    const weighted = Math.floor((1 - elapsed / charge.windowMs) * (this.#counts.get(key(window - 1)) ?? 0));
    const current = this.#counts.get(key(window)) ?? 0;
    if (weighted + current >= charge.limit) throw new RateLimitedError(charge, charge.windowMs - elapsed);
    this.#counts.set(key(window), current + 1);
  }
}
