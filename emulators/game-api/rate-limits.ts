// Riot-style rate limits: "20:1,100:120" means 20 requests per 1 s and 100 per
// 120 s. Windows are fixed and open at the first request after the previous one
// closed, as Riot's do; a request refused with 429 still counts (Riot's own
// 429s report e.g. "21:1" against a limit of 20).

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

class RateLimitSpecError extends Error {
  override name = "RateLimitSpecError";
}

export function parseRateLimits(spec: string): RateLimit[] {
  const limits = spec.split(",").map((part) => {
    const found = /^\s*(\d+):(\d+)\s*$/.exec(part);
    if (!found) throw new RateLimitSpecError(`bad rate limit "${part}" in "${spec}": expected "requests:seconds"`);
    const limit = Number(found[1]);
    const windowSeconds = Number(found[2]);
    if (limit < 1 || windowSeconds < 1) throw new RateLimitSpecError(`rate limit "${part}" must be at least 1:1`);
    return { limit, windowSeconds };
  });
  return limits;
}

const formatRateLimits = (limits: readonly RateLimit[]): string =>
  limits.map((l) => `${l.limit}:${l.windowSeconds}`).join(",");

export interface LimitReading {
  /** Value for X-App-Rate-Limit / X-Method-Rate-Limit. */
  limits: string;
  /** Value for the matching -Count header: "count:seconds,…". */
  counts: string;
  /** Set when some window holds more than its limit: seconds until it reopens. */
  retryAfterSeconds?: number;
}

interface Window {
  openedAt: number;
  count: number;
}

/** One set of limits applied separately to each key (a region, or a region and method). */
export class KeyedRateLimiter {
  readonly limits: readonly RateLimit[];
  readonly #windows = new Map<string, Window[]>();

  constructor(limits: readonly RateLimit[]) {
    this.limits = limits;
  }

  /** Counts one request under `key` and reads the result. */
  take(key: string, now: number): LimitReading {
    const windows = this.#current(key, now);
    for (const w of windows) w.count++;
    return this.#read(windows, now);
  }

  /** Reads `key` without counting a request. */
  peek(key: string, now: number): LimitReading {
    return this.#read(this.#current(key, now), now);
  }

  reset(): void {
    this.#windows.clear();
  }

  #current(key: string, now: number): Window[] {
    let windows = this.#windows.get(key);
    if (!windows) {
      windows = this.limits.map(() => ({ openedAt: now, count: 0 }));
      this.#windows.set(key, windows);
    }
    windows.forEach((w, i) => {
      if (now >= w.openedAt + (this.limits[i] as RateLimit).windowSeconds * 1000) {
        w.openedAt = now;
        w.count = 0;
      }
    });
    return windows;
  }

  #read(windows: Window[], now: number): LimitReading {
    let retryAfterSeconds: number | undefined;
    windows.forEach((w, i) => {
      const { limit, windowSeconds } = this.limits[i] as RateLimit;
      if (w.count <= limit) return;
      const seconds = Math.max(1, Math.ceil((w.openedAt + windowSeconds * 1000 - now) / 1000));
      retryAfterSeconds = Math.max(retryAfterSeconds ?? 0, seconds);
    });
    return {
      limits: formatRateLimits(this.limits),
      counts: windows.map((w, i) => `${w.count}:${(this.limits[i] as RateLimit).windowSeconds}`).join(","),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    };
  }
}
