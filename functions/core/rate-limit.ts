// Per-API-key rate limits: what a request is counted as, the port that counts it
// when no other store call of the request can, and the error a refusal is.
// The task store counts the charge inside its own call where a route has one
// (submit, status), so a limited key costs no extra Redis request there.

/** One request counted against an API key's limit: at most `limit` in any `windowMs` (a sliding window). */
export interface RateCharge {
  /** Whose requests are counted together (the API key's name). */
  key: string;
  limit: number;
  windowMs: number;
  /** The limit as configured ("100/10s"), for the answer's message. */
  label: string;
}

export interface RateLimiter {
  /** Counts one request; throws RateLimitedError (and counts nothing) when the key has used its limit. */
  charge(charge: RateCharge): Promise<void>;
}

/** A request over its key's rate limit: nothing was counted or written; the api answers 429 with Retry-After. */
export class RateLimitedError extends Error {
  override readonly name = "RateLimitedError";
  readonly charge: RateCharge;
  /** Until the key's current window ends. */
  readonly retryAfterMs: number;
  constructor(charge: RateCharge, retryAfterMs: number) {
    super(`rate limit of ${charge.label} exceeded for this API key`);
    this.charge = charge;
    this.retryAfterMs = retryAfterMs;
  }
}
