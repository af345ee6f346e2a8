import { describe, expect, it } from "vitest";
import { defineSchedule, nextRuns } from "./define-schedule.ts";
import { planSchedules } from "./schedule-plan.ts";
import type { ScheduledJob } from "./ports.ts";

const job = (over: Partial<ScheduledJob>): ScheduledJob => ({
  name: "a", origin: "code", cron: "0 0 * * *", timeZone: "UTC", task: "t.a", payload: {}, description: "", state: "ENABLED", lastAttemptTime: null, lastStatus: null, ...over,
});

describe("planSchedules", () => {
  const declared = [
    defineSchedule({ name: "a", cron: "0 0 * * *", task: "t.a" }),
    defineSchedule({ name: "b", cron: "*/5 * * * *", task: "t.b" }),
    defineSchedule({ name: "c", cron: "0 2 * * *", task: "t.c" }),
    defineSchedule({ name: "d", cron: "0 3 * * *", task: "t.d" }),
  ];
  it("creates, updates, deletes only code jobs, and leaves run-time ones alone", () => {
    const plan = planSchedules(declared, [
      job({ name: "a" }),
      job({ name: "b", cron: "*/10 * * * *", task: "t.b" }),
      job({ name: "old" }),
      job({ name: "user-digest", origin: "api" }),
      job({ name: "d", origin: "api" }),
    ]);
    expect(plan.unchanged).toEqual(["a"]);
    expect(plan.update.map((u) => [u.spec.name, u.changes])).toEqual([["b", ["cron */10 * * * * → */5 * * * *"]]]);
    expect(plan.create.map((c) => c.name)).toEqual(["c"]);
    expect(plan.delete).toEqual(["old"]);
    expect(plan.conflicts).toEqual(["d"]);
  });
  it("is empty once applied", () => {
    const applied = declared.map((d) => job({ name: d.name, cron: d.cron, task: d.task }));
    const plan = planSchedules(declared, applied);
    expect(plan.create.length + plan.update.length + plan.delete.length).toBe(0);
  });
});

describe("next runs (croner) in time zones", () => {
  it("Asia/Ho_Chi_Minh: 02:00 local is 19:00 UTC the day before", () => {
    expect(nextRuns("0 2 * * *", "Asia/Ho_Chi_Minh", 2, new Date("2026-03-07T20:00:00Z")).map((d) => d.toISOString())).toEqual([
      "2026-03-08T19:00:00.000Z",
      "2026-03-09T19:00:00.000Z",
    ]);
  });
  it("America/New_York spring forward (2026-03-08): 02:30 does not exist and runs at 03:00 EDT", () => {
    expect(nextRuns("30 2 * * *", "America/New_York", 2, new Date("2026-03-08T05:00:00Z")).map((d) => d.toISOString())).toEqual([
      "2026-03-08T07:00:00.000Z",
      "2026-03-09T06:30:00.000Z",
    ]);
  });
  it("America/New_York fall back (2026-11-01): 01:30 happens twice and runs once, at the first", () => {
    expect(nextRuns("30 1 * * *", "America/New_York", 2, new Date("2026-11-01T04:00:00Z")).map((d) => d.toISOString())).toEqual([
      "2026-11-01T05:30:00.000Z",
      "2026-11-02T06:30:00.000Z",
    ]);
  });
  it("rejects bad crons and zones with a message naming them", () => {
    expect(() => defineSchedule({ name: "x", cron: "0 0 * *", task: "t.x" })).toThrow(/five fields/);
    expect(() => defineSchedule({ name: "x", cron: "0 0 * * *", timeZone: "Nowhere/Land", task: "t.x" })).toThrow(/IANA/);
  });
});
