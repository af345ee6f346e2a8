// Riot's rate-limit headers read back into windows, so that the client can
// stop before the upstream answers 429 (see docs/matches.md, "Rate limits").
//
// Riot sends, on every answer, its limits and the counts in its current windows:
//   X-App-Rate-Limit: 20:1,100:120          (20 per 1 s and 100 per 120 s)
//   X-App-Rate-Limit-Count: 7:1,58:120
// (the same pair as X-Method-Rate-Limit[-Count] for the method called). Its
// windows are fixed: one opens at the first request after the previous closed,
// and the headers never say when. So a window's end is estimated late on purpose:
// from the first answer seen in it, as if it had opened then.

interface LimitWindow {
  limit: number;
  windowSeconds: number;
  /** Highest count the upstream reported in this window. */
  observed: number;
  /** Requests this instance has in flight (sent, not answered): counted before the upstream does. */
  reserved: number;
  /** Epoch ms at which the window closes at the latest. */
  resetsAt: number;
}

/** One set of limits: the application's in a region, or one method's in a region. */
export interface LimitScope {
  windows: LimitWindow[];
  /** Epoch ms until which a 429 told us to stay away. */
  blockedUntil: number;
}

export interface WindowReading {
  limit: number;
  windowSeconds: number;
  count: number;
}

export const emptyScope = (): LimitScope => ({ windows: [], blockedUntil: 0 });

/** Reads a "limit:seconds,…" header and its "count:seconds,…" twin; [] when either is missing or malformed. */
export function parseLimitHeaders(limits: string | null, counts: string | null): WindowReading[] {
  if (!limits || !counts) return [];
  const pairs = (header: string) =>
    header.split(",").map((part) => {
      const found = /^\s*(\d+):(\d+)\s*$/.exec(part);
      return found ? { value: Number(found[1]), seconds: Number(found[2]) } : null;
    });
  const countsBySeconds = new Map<number, number>();
  for (const pair of pairs(counts)) if (pair) countsBySeconds.set(pair.seconds, pair.value);
  const readings: WindowReading[] = [];
  for (const pair of pairs(limits)) {
    if (!pair || pair.value < 1 || pair.seconds < 1) continue;
    readings.push({ limit: pair.value, windowSeconds: pair.seconds, count: countsBySeconds.get(pair.seconds) ?? 0 });
  }
  return readings;
}

/**
 * Folds an answer's readings into a scope. A reading belongs to the window we
 * know unless that window has surely closed, or the count fell below half of
 * what we saw: answers of concurrent requests may arrive out of order, but not
 * by half a window's worth.
 */
export function observe(scope: LimitScope, readings: readonly WindowReading[], now: number): LimitScope {
  const windows = readings.map((reading): LimitWindow => {
    const known = scope.windows.find((w) => w.windowSeconds === reading.windowSeconds);
    const reserved = known?.reserved ?? 0;
    const sameWindow = known !== undefined && now < known.resetsAt && reading.count >= known.observed / 2;
    if (sameWindow) {
      return { limit: reading.limit, windowSeconds: reading.windowSeconds, observed: Math.max(known.observed, reading.count), reserved, resetsAt: known.resetsAt };
    }
    return { limit: reading.limit, windowSeconds: reading.windowSeconds, observed: reading.count, reserved, resetsAt: now + reading.windowSeconds * 1000 };
  });
  return { windows, blockedUntil: scope.blockedUntil };
}

/** Counts a request about to be sent (by = 1) or one answered or abandoned (by = -1). */
export function reserve(scope: LimitScope, by: 1 | -1): LimitScope {
  return { ...scope, windows: scope.windows.map((w) => ({ ...w, reserved: Math.max(0, w.reserved + by) })) };
}

export function block(scope: LimitScope, until: number): LimitScope {
  return { ...scope, blockedUntil: Math.max(scope.blockedUntil, until) };
}

/** The count at which a window is treated as full: `fraction` of its limit, at least 1. */
export const thresholdOf = (limit: number, fraction: number): number => Math.max(1, Math.floor(limit * fraction));

/**
 * Milliseconds until one more request fits every window of the scope with
 * `fraction` of each limit in use at most; 0 when it fits now.
 */
export function waitMs(scope: LimitScope, now: number, fraction: number): number {
  let wait = Math.max(0, scope.blockedUntil - now);
  for (const w of scope.windows) {
    if (now >= w.resetsAt) continue;
    if (w.observed + w.reserved >= thresholdOf(w.limit, fraction)) wait = Math.max(wait, w.resetsAt - now);
  }
  return wait;
}

/**
 * Merges what another instance recorded (through the shared store) into ours:
 * for a window both know and both think open, the higher count and the later
 * end; closed windows are dropped. Our own reservations stay ours.
 */
export function mergeShared(ours: LimitScope, shared: LimitScope, now: number): LimitScope {
  const windows = ours.windows.map((w) => ({ ...w }));
  for (const theirs of shared.windows) {
    if (now >= theirs.resetsAt) continue;
    const mine = windows.find((w) => w.windowSeconds === theirs.windowSeconds);
    if (!mine) {
      windows.push({ ...theirs, reserved: 0 });
    } else if (now >= mine.resetsAt) {
      Object.assign(mine, { limit: theirs.limit, observed: theirs.observed, resetsAt: theirs.resetsAt });
    } else {
      mine.observed = Math.max(mine.observed, theirs.observed);
      mine.resetsAt = Math.max(mine.resetsAt, theirs.resetsAt);
    }
  }
  return { windows, blockedUntil: Math.max(ours.blockedUntil, shared.blockedUntil) };
}

/** What goes to the shared store: counts the upstream reported, without our in-flight requests. */
export function sharedView(scope: LimitScope): LimitScope {
  return { windows: scope.windows.map((w) => ({ ...w, reserved: 0 })), blockedUntil: scope.blockedUntil };
}
