import { describe, expect, it } from "vitest";
import { chunkPointId, uuidV5 } from "./point-ids.ts";

describe("point ids", () => {
  it("computes RFC UUIDv5 (the DNS namespace test vector)", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("gives a chunk the same UUID every time, version 5, RFC variant", () => {
    const id = chunkPointId("ha-noi-overview-vi", 0);
    expect(chunkPointId("ha-noi-overview-vi", 0)).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("gives different chunks and different documents different ids", () => {
    const ids = new Set<string>();
    for (const doc of ["a", "b", "a#1", "ha-noi-overview-vi", "Hà Nội"]) for (let i = 0; i < 50; i += 1) ids.add(chunkPointId(doc, i));
    expect(ids.size).toBe(250);
    // "a#1" chunk 0 is not "a" chunk 10 nor "a" chunk 1.
    expect(chunkPointId("a#1", 0)).not.toBe(chunkPointId("a", 1));
  });

  it("refuses a chunk index that is not a whole number", () => {
    expect(() => chunkPointId("a", -1)).toThrow(/whole number/);
    expect(() => chunkPointId("a", 1.5)).toThrow(/whole number/);
  });
});
