// Quota day boundaries: local midnight in the configured zone, daylight-saving days included.
import { describe, expect, it } from "vitest";
import { isTimeZone, localDate, nextDailyReset } from "./daily-reset.ts";

const at = (iso: string) => Date.parse(iso);
const reset = (iso: string, zone: string) => new Date(nextDailyReset(at(iso), zone)).toISOString();

describe("nextDailyReset", () => {
  it("is the next UTC midnight in UTC, strictly after now", () => {
    expect(reset("2024-11-02T13:45:10.123Z", "UTC")).toBe("2024-11-03T00:00:00.000Z");
    expect(reset("2024-11-02T23:59:59.999Z", "UTC")).toBe("2024-11-03T00:00:00.000Z");
    // At midnight exactly, the day has just begun: the reset is a whole day away.
    expect(reset("2024-11-03T00:00:00.000Z", "UTC")).toBe("2024-11-04T00:00:00.000Z");
  });

  it("computes UTC without Intl exactly as the search does (Etc/UTC goes through Intl)", () => {
    const instants = [at("1970-01-01T00:00:00Z"), at("1969-12-31T23:59:59.999Z"), at("2024-02-29T23:59:00Z"), at("2024-11-03T00:00:00.001Z"), at("2100-03-01T12:34:56.789Z")];
    for (let i = 0; i < 200; i++) instants.push(at("2000-01-01T00:00:00Z") + Math.floor(Math.random() * 40 * 365 * 86_400_000));
    for (const instant of instants) expect(nextDailyReset(instant, "UTC")).toBe(nextDailyReset(instant, "Etc/UTC"));
  });

  it("follows a zone with a half-hour offset (Asia/Tehran, +03:30)", () => {
    expect(reset("2024-06-01T12:00:00Z", "Asia/Tehran")).toBe("2024-06-01T20:30:00.000Z");
    expect(reset("2024-06-01T20:30:00Z", "Asia/Tehran")).toBe("2024-06-02T20:30:00.000Z");
  });

  it("follows a zone with a 45-minute offset (Asia/Kathmandu, +05:45)", () => {
    expect(reset("2024-06-01T00:00:00Z", "Asia/Kathmandu")).toBe("2024-06-01T18:15:00.000Z");
  });

  it("uses the offset in force at midnight across a daylight-saving change", () => {
    // New York springs forward at 02:00 on 2024-03-10: that midnight is still EST, the next one EDT.
    expect(reset("2024-03-09T12:00:00Z", "America/New_York")).toBe("2024-03-10T05:00:00.000Z");
    expect(reset("2024-03-10T12:00:00Z", "America/New_York")).toBe("2024-03-11T04:00:00.000Z");
    // And falls back on 2024-11-03: the day is 25 hours long.
    expect(reset("2024-11-03T04:30:00Z", "America/New_York")).toBe("2024-11-04T05:00:00.000Z");
  });

  it("resets at the jump when a daylight-saving change skips midnight (America/Santiago)", () => {
    // On 2024-09-08 Santiago's clocks go from 23:59:59 (-04) straight to 01:00 (-03).
    expect(reset("2024-09-07T16:00:00Z", "America/Santiago")).toBe("2024-09-08T04:00:00.000Z");
    expect(localDate(at("2024-09-08T04:00:00Z"), "America/Santiago")).toBe("2024-09-08");
    expect(localDate(at("2024-09-08T03:59:59Z"), "America/Santiago")).toBe("2024-09-07");
  });
});

describe("isTimeZone", () => {
  it("knows IANA zones and refuses anything else", () => {
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Asia/Ho_Chi_Minh")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("not a zone")).toBe(false);
  });
});
