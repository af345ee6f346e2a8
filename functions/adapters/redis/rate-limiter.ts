// Per-API-key rate limits on Redis, for requests whose route has no store call
// to count them in (SUBMIT and STATUS count them in their own script).
import { RateLimitedError, type RateCharge, type RateLimiter } from "../../core/rate-limit.ts";
import { RATE_LIMITED, script } from "./lua.ts";
import { runScript, type ScriptRedis } from "./run-script.ts";

/**
 * RATE LIMIT. KEYS: 1 the current window's counter, 2 the previous window's (rateKeys).
 * ARGV: 1 limit, 2 now ms, 3 window ms. Reply: 0 counted; otherwise the ms until the window ends (refused, nothing counted).
 */
const rateLimitScript = script(`return rate_limited(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3]) or 0`, RATE_LIMITED);

/** The two fixed windows the sliding window spans, named by the caller's clock (as @upstash/ratelimit names them). */
function rateKeys(prefix: string, charge: RateCharge, now: number): [string, string] {
  const window = Math.floor(now / charge.windowMs);
  const base = `${prefix}:rl:${charge.label}:${charge.key}:`;
  return [base + window, base + (window - 1)];
}

/** The KEYS and ARGV a script that embeds RATE_LIMITED takes for a charge, or empty ones for none. */
export function rateArguments(prefix: string, charge: RateCharge | undefined, now: number): { keys: [string, string]; args: [string | number, number, number] } {
  if (!charge) return { keys: ["", ""], args: ["", now, 1] };
  return { keys: rateKeys(prefix, charge, now), args: [charge.limit, now, charge.windowMs] };
}

export class RedisRateLimiter implements RateLimiter {
  readonly #redis: ScriptRedis;
  readonly #prefix: string;
  readonly #now: () => number;

  constructor(redis: ScriptRedis, prefix: string, now: () => number = Date.now) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#now = now;
  }

  async charge(charge: RateCharge): Promise<void> {
    const now = this.#now();
    const refused = Number(await runScript<number>(this.#redis, rateLimitScript, rateKeys(this.#prefix, charge, now), [charge.limit, now, charge.windowMs]));
    if (refused > 0) throw new RateLimitedError(charge, refused);
  }
}
