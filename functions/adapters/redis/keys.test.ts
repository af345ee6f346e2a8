import { describe, expect, it } from "vitest";
import { taskKeys } from "./keys.ts";

describe("idempotency keys", () => {
  const keys = taskKeys("tq");

  it("never collide across (tenant, scope, key) tuples that join to the same text", () => {
    const variants = [
      keys.idempotency("x", "tasks", "y:z"),
      keys.idempotency("x:y", "tasks", "z"),
      keys.idempotency("x", "tasks:y", "z"),
      keys.idempotency("x", "tasksy", "z"),
      keys.idempotency("", "xtasks", "yz"),
    ];
    expect(new Set(variants).size).toBe(variants.length);
  });

  it("are the same for the same tuple, and hide the caller's text", () => {
    expect(keys.idempotency("acme", "tasks", "order-1")).toBe(keys.idempotency("acme", "tasks", "order-1"));
    expect(keys.idempotency("acme", "tasks", "order-1")).not.toContain("order-1");
  });
});
