import { describe, expect, it } from "vitest";
import { PlatformRegion, RoutingValue, platformRegion, routingOf } from "./regions.ts";

describe("regions", () => {
  it("maps every platform region to one routing value", () => {
    for (const region of PlatformRegion) expect(RoutingValue).toContain(routingOf(region));
    expect(routingOf("na1")).toBe("americas");
    expect(routingOf("br1")).toBe("americas");
    expect(routingOf("euw1")).toBe("europe");
    expect(routingOf("me1")).toBe("europe");
    expect(routingOf("kr")).toBe("asia");
    expect(routingOf("jp1")).toBe("asia");
    expect(routingOf("oc1")).toBe("sea");
    expect(routingOf("vn2")).toBe("sea");
  });

  it("serves each routing value from some region", () => {
    expect(new Set(PlatformRegion.map(routingOf))).toEqual(new Set(RoutingValue));
  });

  it("reads regions case-insensitively and refuses unknown ones with the list", () => {
    expect(platformRegion.parse("EUW1")).toBe("euw1");
    expect(platformRegion.parse(" kr ")).toBe("kr");
    const refused = platformRegion.safeParse("eu");
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toContain("na1, br1");
    expect(platformRegion.safeParse("americas").success).toBe(false);
    expect(platformRegion.safeParse(1).success).toBe(false);
  });
});
