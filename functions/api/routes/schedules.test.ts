import { describe, expect, it } from "vitest";
import { createScheduleBody, patchScheduleBody } from "./schedules.ts";

describe("schedule bodies", () => {
  it("a PATCH keeps what it leaves out: no defaults fill its absent fields", () => {
    expect(patchScheduleBody.parse({ cron: "30 3 * * *" })).toEqual({ cron: "30 3 * * *" });
    expect(patchScheduleBody.safeParse({ name: "renamed" }).success).toBe(false);
  });

  it("a POST gets the defaults", () => {
    expect(createScheduleBody.parse({ name: "n", cron: "0 * * * *", task: "testing.noop" }))
      .toEqual({ name: "n", cron: "0 * * * *", task: "testing.noop", time_zone: "UTC", payload: {}, description: "" });
  });
});
