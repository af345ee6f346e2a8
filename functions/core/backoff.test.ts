import { describe, expect, it } from "vitest";
import { backoffSeconds } from "./backoff.ts";

const policy = { maxAttempts: 10, minBackoffSeconds: 2, maxBackoffSeconds: 60 };

describe("backoffSeconds", () => {
  it("never comes sooner than half the exponential step, whatever the jitter", () => {
    expect(backoffSeconds(policy, 1, () => 0)).toBe(1);
    expect(backoffSeconds(policy, 2, () => 0)).toBe(2);
    expect(backoffSeconds(policy, 3, () => 0)).toBe(4);
    for (let attempt = 1; attempt < 8; attempt += 1) expect(backoffSeconds(policy, attempt, Math.random)).toBeGreaterThan(0);
  });

  it("doubles with each attempt up to the cap, the jitter adding at most the other half", () => {
    expect(backoffSeconds(policy, 1, () => 1)).toBe(2);
    expect(backoffSeconds(policy, 4, () => 1)).toBe(16);
    expect(backoffSeconds(policy, 10, () => 1)).toBe(60);
    expect(backoffSeconds(policy, 10, () => 0)).toBe(30);
  });
});
