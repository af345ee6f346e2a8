// Per-key rate limits through @upstash/ratelimit (sliding window in Redis).
import type { Redis } from "@upstash/redis";
import { Ratelimit, type Duration } from "@upstash/ratelimit";
import { ApiError } from "./http.ts";
import type { ApiKey } from "./auth.ts";

export interface RateLimiter {
  check(key: ApiKey): Promise<void>;
}

export function createRateLimiter(redis: Redis, prefix: string, now: () => number = Date.now): RateLimiter {
  const limiters = new Map<string, Ratelimit>();
  const limiterFor = (spec: string) => {
    let limiter = limiters.get(spec);
    if (!limiter) {
      const [tokens, window] = spec.split("/") as [string, string];
      limiter = new Ratelimit({
        redis,
        limiter: Ratelimit.slidingWindow(Number(tokens), window.replace(/\s/g, "") as Duration),
        prefix: `${prefix}:rl:${spec}`,
        analytics: false,
      });
      limiters.set(spec, limiter);
    }
    return limiter;
  };
  return {
    async check(key) {
      if (!key.rate_limit) return;
      let answer;
      try {
        answer = await limiterFor(key.rate_limit).limit(key.name);
      } catch {
        throw new ApiError(503, "unavailable", "the rate limiter (Redis) is unavailable; try again", { dependency: "redis" }, { "Retry-After": "2" });
      }
      if (!answer.success) {
        const retryAfter = Math.max(1, Math.ceil((answer.reset - now()) / 1000));
        throw new ApiError(429, "rate_limited", `rate limit of ${key.rate_limit} exceeded for this API key`, { retry_after_seconds: retryAfter }, {
          "Retry-After": String(retryAfter),
        });
      }
    },
  };
}
