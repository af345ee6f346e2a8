import { describe, expect, it } from "vitest";
import { sleep, SLEEP_MAX_SECONDS } from "./noop.ts";

describe("testing.sleep", () => {
  it("accepts no sleep its soft limit would cut short", () => {
    expect(sleep.input.safeParse({ seconds: SLEEP_MAX_SECONDS }).success).toBe(true);
    expect(sleep.input.safeParse({ seconds: SLEEP_MAX_SECONDS + 0.1 }).success).toBe(false);
    // A margin for the progress writes and a loaded machine: the soft limit aborts the handler.
    expect(sleep.timeLimit.softSeconds).toBeGreaterThanOrEqual(SLEEP_MAX_SECONDS + 2);
  });
});
