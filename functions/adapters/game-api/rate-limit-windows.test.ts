import { describe, expect, it } from "vitest";
import {
  block, emptyScope, mergeShared, observe, parseLimitHeaders, reserve, sharedView, thresholdOf, waitMs,
} from "./rate-limit-windows.ts";

const T0 = 1_000_000;

describe("parseLimitHeaders", () => {
  it("pairs each limit with the count of the same window", () => {
    expect(parseLimitHeaders("20:1,100:120", "7:1,58:120")).toEqual([
      { limit: 20, windowSeconds: 1, count: 7 },
      { limit: 100, windowSeconds: 120, count: 58 },
    ]);
    // Counts in another order, or missing for a window (count 0).
    expect(parseLimitHeaders("20:1,100:120", "58:120")).toEqual([
      { limit: 20, windowSeconds: 1, count: 0 },
      { limit: 100, windowSeconds: 120, count: 58 },
    ]);
  });

  it("gives nothing for missing headers and skips malformed parts", () => {
    expect(parseLimitHeaders(null, "1:1")).toEqual([]);
    expect(parseLimitHeaders("20:1", null)).toEqual([]);
    expect(parseLimitHeaders("x,20:1,0:5", "3:1")).toEqual([{ limit: 20, windowSeconds: 1, count: 3 }]);
  });
});

describe("windows", () => {
  const readings = (short: number, long: number) => parseLimitHeaders("20:1,100:120", `${short}:1,${long}:120`);

  it("lets requests through below the threshold and stops at 90% until the window closes", () => {
    expect(thresholdOf(100, 0.9)).toBe(90);
    expect(thresholdOf(20, 0.9)).toBe(18);
    expect(thresholdOf(1, 0.9)).toBe(1);
    let scope = observe(emptyScope(), readings(1, 1), T0);
    expect(waitMs(scope, T0, 0.9)).toBe(0);
    scope = observe(scope, readings(5, 89), T0 + 10_000);
    expect(waitMs(scope, T0 + 10_000, 0.9)).toBe(0);
    scope = observe(scope, readings(6, 90), T0 + 11_000);
    // The long window was first seen at T0: it closes at T0 + 120 s at the latest.
    expect(waitMs(scope, T0 + 11_000, 0.9)).toBe(109_000);
    expect(waitMs(scope, T0 + 120_000, 0.9)).toBe(0);
  });

  it("stops at 90% of the short window for the rest of that second", () => {
    let scope = observe(emptyScope(), readings(1, 1), T0);
    scope = observe(scope, readings(18, 18), T0 + 400);
    // The 1 s window opened (as far as we know) at T0.
    expect(waitMs(scope, T0 + 400, 0.9)).toBe(600);
  });

  it("counts requests in flight before the upstream does", () => {
    let scope = observe(emptyScope(), readings(1, 85), T0);
    for (let i = 0; i < 4; i++) scope = reserve(scope, 1);
    expect(waitMs(scope, T0, 0.9)).toBe(0);
    scope = reserve(scope, 1);
    expect(waitMs(scope, T0, 0.9)).toBeGreaterThan(0);
    scope = reserve(scope, -1);
    expect(waitMs(scope, T0, 0.9)).toBe(0);
    expect(reserve(reserve(emptyScope(), -1), -1)).toEqual(emptyScope());
  });

  it("starts a new window when the old one has closed, or when the count falls by half", () => {
    let scope = observe(emptyScope(), readings(10, 80), T0);
    // Out-of-order answers of concurrent requests: a small drop is the same window.
    scope = observe(scope, readings(9, 78), T0 + 100);
    expect(scope.windows[1]).toMatchObject({ observed: 80, resetsAt: T0 + 120_000 });
    // A count that fell by more than half: the upstream opened a new window, at the latest now.
    scope = observe(scope, readings(1, 3), T0 + 5_000);
    expect(scope.windows[1]).toMatchObject({ observed: 3, resetsAt: T0 + 125_000 });
    // Past the estimated end: a new window whatever the count.
    scope = observe(scope, readings(1, 50), T0 + 126_000);
    expect(scope.windows[1]).toMatchObject({ observed: 50, resetsAt: T0 + 246_000 });
  });

  it("holds off until a 429's Retry-After has passed", () => {
    const scope = block(observe(emptyScope(), readings(1, 1), T0), T0 + 3_000);
    expect(waitMs(scope, T0 + 1_000, 0.9)).toBe(2_000);
    expect(waitMs(scope, T0 + 3_000, 0.9)).toBe(0);
  });

  it("merges another instance's counts: the higher count and the later end of a shared window", () => {
    const ours = reserve(observe(emptyScope(), readings(2, 40), T0), 1);
    const theirs = observe(emptyScope(), readings(3, 70), T0 + 1_000);
    const merged = mergeShared(ours, sharedView(theirs), T0 + 1_100);
    expect(merged.windows[1]).toMatchObject({ observed: 70, reserved: 1, resetsAt: T0 + 121_000 });
    // Their windows that have closed teach nothing.
    const stale = mergeShared(emptyScope(), sharedView(theirs), T0 + 200_000);
    expect(stale.windows).toEqual([]);
    // Ours closed, theirs open: theirs wins.
    const later = observe(emptyScope(), readings(1, 88), T0 + 130_000);
    const adopted = mergeShared(ours, sharedView(later), T0 + 130_500);
    expect(adopted.windows[1]).toMatchObject({ observed: 88, resetsAt: T0 + 250_000 });
    expect(waitMs(adopted, T0 + 130_500, 0.9)).toBe(0);
  });

  it("shares no in-flight counts (they are this instance's own)", () => {
    const scope = reserve(observe(emptyScope(), readings(1, 1), T0), 1);
    expect(sharedView(scope).windows.every((w) => w.reserved === 0)).toBe(true);
  });
});
