// Keeps the game API's rate-limit windows per routing value, in memory and in
// the shared key-value store (so instances see each other's traffic), and
// decides before each request whether it may go now, after a short wait, or
// should come back later (RetryAfterError, which reschedules the task).
import { RetryAfterError } from "../../core/errors.ts";
import type { KeyValueStore } from "../../core/ports.ts";
import {
  block, emptyScope, mergeShared, observe, parseLimitHeaders, reserve, sharedView, waitMs, type LimitScope,
} from "./rate-limit-windows.ts";

export interface LimitGuardOptions {
  /** Shared store; null keeps the windows in this instance only. */
  kv: () => Pick<KeyValueStore, "get" | "set"> | null;
  /** Share of each limit this client uses at most (0-1]. */
  fraction: number;
  /** Waits up to this long in-process for a window to reopen; longer waits become RetryAfterError. */
  maxWaitMs: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Everything known about one routing value: the application's limits and each method's. */
export interface RoutingLimits {
  app: LimitScope;
  methods: Record<string, LimitScope>;
}

export interface Ticket {
  routing: string;
  method: string;
}

export interface Answer {
  status: number;
  headers: Headers;
}

const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", aborted, { once: true });
  });

export class LimitGuard {
  readonly #options: LimitGuardOptions;
  readonly #byRouting = new Map<string, RoutingLimits>();
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: LimitGuardOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? abortableSleep;
  }

  /** Resolves when a request may be sent (and counts it in flight); throws RetryAfterError when the wait is long. */
  async acquire(routing: string, method: string, signal?: AbortSignal): Promise<Ticket> {
    // In-process waits add up to maxWaitMs at most, however often the windows fill again meanwhile.
    const waitUntil = this.#now() + this.#options.maxWaitMs;
    for (;;) {
      await this.#pull(routing);
      const limits = this.#limits(routing);
      const now = this.#now();
      const wait = Math.max(waitMs(limits.app, now, this.#options.fraction), waitMs(this.#method(limits, method), now, this.#options.fraction));
      if (wait === 0) {
        limits.app = reserve(limits.app, 1);
        limits.methods[method] = reserve(this.#method(limits, method), 1);
        return { routing, method };
      }
      if (now + wait > waitUntil) {
        throw new RetryAfterError(`game API rate limit for ${routing} nearly used up; holding off for ${Math.ceil(wait / 1000)} s`, Math.ceil(wait / 1000));
      }
      await this.#sleep(wait, signal);
    }
  }

  /** Records the answer to a request (or null when none came) and shares what it said. */
  async release(ticket: Ticket, answer: Answer | null): Promise<void> {
    const limits = this.#limits(ticket.routing);
    const now = this.#now();
    limits.app = reserve(limits.app, -1);
    limits.methods[ticket.method] = reserve(this.#method(limits, ticket.method), -1);
    if (!answer) return;
    const { headers } = answer;
    const app = parseLimitHeaders(headers.get("x-app-rate-limit"), headers.get("x-app-rate-limit-count"));
    const method = parseLimitHeaders(headers.get("x-method-rate-limit"), headers.get("x-method-rate-limit-count"));
    if (app.length) limits.app = observe(limits.app, app, now);
    if (method.length) limits.methods[ticket.method] = observe(this.#method(limits, ticket.method), method, now);
    const retryAfter = Number(headers.get("retry-after"));
    if (answer.status === 429 && Number.isFinite(retryAfter) && retryAfter > 0) {
      // A "service" 429 is the upstream's own trouble, not our quota: don't hold the whole routing value off.
      const type = headers.get("x-rate-limit-type");
      const until = now + retryAfter * 1000;
      if (type === "method") limits.methods[ticket.method] = block(this.#method(limits, ticket.method), until);
      else if (type !== "service") limits.app = block(limits.app, until);
    }
    if (app.length || method.length || answer.status === 429) await this.#push(ticket.routing, limits);
  }

  /** What this instance knows about a routing value (for tests and diagnostics). */
  snapshot(routing: string): RoutingLimits {
    return structuredClone(this.#limits(routing));
  }

  #limits(routing: string): RoutingLimits {
    let limits = this.#byRouting.get(routing);
    if (!limits) {
      limits = { app: emptyScope(), methods: {} };
      this.#byRouting.set(routing, limits);
    }
    return limits;
  }

  #method(limits: RoutingLimits, method: string): LimitScope {
    return limits.methods[method] ?? emptyScope();
  }

  #key(routing: string): string {
    return `game-api:rate-limits:${routing}`;
  }

  // The shared store is an optimisation: when it fails, this instance goes on with what it knows.
  async #pull(routing: string): Promise<void> {
    const kv = this.#options.kv();
    if (!kv) return;
    const shared = await kv.get<RoutingLimits>(this.#key(routing)).catch(() => null);
    if (!shared) return;
    const limits = this.#limits(routing);
    const now = this.#now();
    limits.app = mergeShared(limits.app, shared.app ?? emptyScope(), now);
    for (const [method, scope] of Object.entries(shared.methods ?? {})) {
      limits.methods[method] = mergeShared(this.#method(limits, method), scope, now);
    }
  }

  async #push(routing: string, limits: RoutingLimits): Promise<void> {
    const kv = this.#options.kv();
    if (!kv) return;
    const now = this.#now();
    const scopes = [limits.app, ...Object.values(limits.methods)];
    const lastsUntil = Math.max(now, ...scopes.flatMap((s) => [s.blockedUntil, ...s.windows.map((w) => w.resetsAt)]));
    const ttlSeconds = Math.max(1, Math.ceil((lastsUntil - now) / 1000));
    const view: RoutingLimits = {
      app: sharedView(limits.app),
      methods: Object.fromEntries(Object.entries(limits.methods).map(([m, s]) => [m, sharedView(s)])),
    };
    await kv.set(this.#key(routing), view, { ttlSeconds }).catch(() => undefined);
  }
}
