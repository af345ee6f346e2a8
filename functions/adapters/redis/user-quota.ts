// UserQuota on Upstash Redis: one EVALSHA per submit (see consumeQuotaScript).
import { nextDailyReset } from "../../core/daily-reset.ts";
import type { QuotaDecision, UserQuota } from "../../tasks/users/ports.ts";
import { runScript, type ScriptRedis } from "./run-script.ts";
import { consumeQuotaScript, refundQuotaScript } from "./user-scripts.ts";
import { userKeys } from "./user-keys.ts";

export interface UserQuotaOptions {
  prefix: string;
  /** Daily limit of users without a tier: the base tier's. */
  defaultLimit: number;
  /** IANA zone whose midnight ends the day (QUOTA_TIME_ZONE). */
  timeZone: string;
  now?: () => number;
}

/** Clock skew and round-trip time tolerated between the counter's expiry and the computed reset. */
const RESET_SKEW_MS = 5_000;

export class RedisUserQuota implements UserQuota {
  readonly #redis: ScriptRedis;
  readonly #keys: ReturnType<typeof userKeys>;
  readonly #options: UserQuotaOptions;
  readonly #now: () => number;
  // The next reset changes once a day: compute it then, not on every submit.
  #resetAt = 0;

  constructor(redis: ScriptRedis, options: UserQuotaOptions) {
    this.#redis = redis;
    this.#keys = userKeys(options.prefix);
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async consume(userId: string): Promise<QuotaDecision> {
    const now = this.#now();
    if (now >= this.#resetAt) this.#resetAt = nextDailyReset(now, this.#options.timeZone);
    const [allowed, used, limit, pttl] = (await runScript<(number | string)[]>(
      this.#redis, consumeQuotaScript, [this.#keys.quota(userId), this.#keys.user(userId)], [this.#options.defaultLimit, this.#resetAt],
    )).map(Number) as [number, number, number, number];
    // The counter's own expiry is the truth (set when the day's first unit was taken); when it agrees
    // with today's reset, report that instant exactly rather than with the round trip's skew.
    const fromCounter = pttl > 0 ? now + pttl : this.#resetAt;
    const resetAt = Math.abs(fromCounter - this.#resetAt) < RESET_SKEW_MS ? this.#resetAt : fromCounter;
    return { allowed: allowed === 1, used, limit, resetAt };
  }

  async refund(userId: string): Promise<void> {
    await runScript(this.#redis, refundQuotaScript, [this.#keys.quota(userId)], []);
  }
}
