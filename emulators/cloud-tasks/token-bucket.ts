// The token bucket RateLimits describes: up to max_burst_size tokens, refilled
// continuously at max_dispatches_per_second, one token per dispatch.

export class TokenBucket {
  private tokens: number;
  private updatedMs: number;
  private ratePerMs: number;
  private capacity: number;

  constructor(ratePerSecond: number, capacity: number, nowMs: number) {
    this.ratePerMs = ratePerSecond / 1000;
    this.capacity = capacity;
    this.tokens = capacity;
    this.updatedMs = nowMs;
  }

  /** New limits keep the tokens already earned, up to the new capacity. */
  configure(ratePerSecond: number, capacity: number, nowMs: number): void {
    this.refill(nowMs);
    this.ratePerMs = ratePerSecond / 1000;
    this.capacity = capacity;
    this.tokens = Math.min(this.tokens, capacity);
  }

  /** Takes a token and returns 0, or returns how many ms until one is available. */
  take(nowMs: number): number {
    this.refill(nowMs);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerMs));
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.updatedMs);
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.ratePerMs);
    this.updatedMs = nowMs;
  }
}
