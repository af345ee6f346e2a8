// Names that ended recently and may not be used again for a while (task-name
// de-duplication; the service keeps them ~1 hour). Every name gets the same
// window, so insertion order is expiry order and sweeping is cheap.

export class Tombstones {
  private readonly windowMs: number;
  private readonly expiries = new Map<string, number>();

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  add(name: string, nowMs: number): void {
    if (this.windowMs <= 0) return;
    this.sweep(nowMs);
    this.expiries.delete(name); // re-insert at the end, keeping the order by expiry
    this.expiries.set(name, nowMs + this.windowMs);
  }

  has(name: string, nowMs: number): boolean {
    this.sweep(nowMs);
    return this.expiries.has(name);
  }

  private sweep(nowMs: number): void {
    for (const [name, expiresMs] of this.expiries) {
      if (expiresMs > nowMs) return;
      this.expiries.delete(name);
    }
  }
}
