// Tier rules (USER_TIERS): parsing, the typed configuration error, and which tier a user is in.
import { describe, expect, it } from "vitest";
import { config, ConfigError, DEFAULT_USER_TIERS, userTiersSetting } from "../../config.ts";
import { baseTier, tierFor } from "./tiers.ts";

const required = { UPSTASH_REDIS_REST_URL: "http://127.0.0.1:1", UPSTASH_REDIS_REST_TOKEN: "t" };

describe("USER_TIERS", () => {
  it("defaults to free (0 queries, 50 a day) and pro (1000 queries, 500 a day)", () => {
    const tiers = config({ ...required, USER_TIERS: DEFAULT_USER_TIERS }).USER_TIERS;
    expect(tiers).toEqual([
      { name: "free", minQueries: 0, dailyLimit: 50 },
      { name: "pro", minQueries: 1000, dailyLimit: 500 },
    ]);
    expect(userTiersSetting.parse(undefined)).toEqual(tiers);
  });

  it("sorts tiers by threshold, whatever order the JSON lists them in", () => {
    const tiers = userTiersSetting.parse(JSON.stringify([
      { name: "max", min_queries: 10_000, daily_limit: 5000 },
      { name: "free", min_queries: 0, daily_limit: 10 },
      { name: "pro", min_queries: 100, daily_limit: 100 },
    ]));
    expect(tiers.map((t) => t.name)).toEqual(["free", "pro", "max"]);
  });

  it.each([
    ["not JSON", "{", /USER_TIERS: not JSON/],
    ["no tier at 0 queries", '[{"name":"pro","min_queries":5,"daily_limit":1}]', /USER_TIERS: one tier must have min_queries 0/],
    ["an empty list", "[]", /USER_TIERS: at least one tier/],
    ["a tier named twice", '[{"name":"a","min_queries":0,"daily_limit":1},{"name":"a","min_queries":9,"daily_limit":2}]', /tier "a" is named twice/],
    ["two tiers at one threshold", '[{"name":"a","min_queries":0,"daily_limit":1},{"name":"b","min_queries":0,"daily_limit":2}]', /two tiers start at min_queries 0/],
    ["a negative limit", '[{"name":"a","min_queries":0,"daily_limit":-1}]', /USER_TIERS: \[0\.daily_limit\]/],
    ["an unknown field", '[{"name":"a","min_queries":0,"daily_limit":1,"price":3}]', /USER_TIERS: \[0\]/],
  ])("refuses %s with a ConfigError naming USER_TIERS", (_case, value, message) => {
    let thrown: unknown;
    try {
      config({ ...required, USER_TIERS: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(message);
  });

  it("refuses a QUOTA_TIME_ZONE that is not a time zone, naming it", () => {
    expect(() => config({ ...required, QUOTA_TIME_ZONE: "Nowhere/Special" })).toThrow(/QUOTA_TIME_ZONE: not an IANA time zone/);
    expect(config({ ...required, QUOTA_TIME_ZONE: "Asia/Ho_Chi_Minh" }).QUOTA_TIME_ZONE).toBe("Asia/Ho_Chi_Minh");
  });
});

describe("tierFor", () => {
  const tiers = userTiersSetting.parse(JSON.stringify([
    { name: "free", min_queries: 0, daily_limit: 50 },
    { name: "pro", min_queries: 1000, daily_limit: 500 },
    { name: "max", min_queries: 10_000, daily_limit: 5000 },
  ]));

  it("is the highest threshold the user's queries reach", () => {
    expect(tierFor(0, tiers).name).toBe("free");
    expect(tierFor(999, tiers).name).toBe("free");
    expect(tierFor(1000, tiers).name).toBe("pro");
    expect(tierFor(9_999, tiers).name).toBe("pro");
    expect(tierFor(10_000, tiers).name).toBe("max");
    expect(tierFor(1e9, tiers).name).toBe("max");
  });

  it("does not depend on the order it is given", () => {
    expect(tierFor(5000, [...tiers].reverse()).name).toBe("pro");
  });

  it("starts every user in the base tier", () => {
    expect(baseTier(tiers)).toEqual({ name: "free", minQueries: 0, dailyLimit: 50 });
  });
});
