// Conformance of the Qdrant stand-in: the real @qdrant/js-client-rest against it.
// With QDRANT_URL set (and QDRANT_API_KEY if needed) the same suite runs against
// a real Qdrant instead: collections get a random prefix and are deleted after.
import { randomUUID } from "node:crypto";
import { QdrantClient } from "@qdrant/js-client-rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startQdrantEmulator, type QdrantEmulator } from "../../emulators/qdrant/index.ts";

type Distance = "Cosine" | "Dot" | "Euclid" | "Manhattan";
type Filter = NonNullable<Parameters<QdrantClient["count"]>[1]>["filter"];
type PointId = number | string;

const realQdrant = process.env.QDRANT_URL;
const prefix = `conformance_${randomUUID().slice(0, 8)}_`;
const created = new Set<string>();
let emulator: QdrantEmulator | undefined;
let client: QdrantClient;

beforeAll(async () => {
  if (!realQdrant) emulator = await startQdrantEmulator();
  const url = realQdrant ?? (emulator as QdrantEmulator).url;
  client = new QdrantClient({ url, ...(process.env.QDRANT_API_KEY ? { apiKey: process.env.QDRANT_API_KEY } : {}) });
});

afterAll(async () => {
  for (const name of created) await client?.deleteCollection(name).catch(() => undefined);
  await emulator?.close();
});

/** Each test owns its collection, named under this run's prefix. */
async function newCollection(
  suffix: string,
  vectors: Parameters<QdrantClient["createCollection"]>[1]["vectors"] = { size: 4, distance: "Cosine" },
): Promise<string> {
  const name = `${prefix}${suffix}`;
  created.add(name);
  expect(await client.createCollection(name, { vectors })).toBe(true);
  return name;
}

/** The HTTP status and Qdrant's error text of a request that must fail. */
async function failure(request: Promise<unknown>): Promise<{ status: number; error: string }> {
  try {
    await request;
  } catch (error) {
    const { status, data } = error as { status?: number; data?: { status?: { error?: string } } };
    return { status: status ?? 0, error: data?.status?.error ?? "" };
  }
  throw new Error("expected the request to fail");
}

/** Ids of the points a filter selects, via scroll (which returns them in id order). */
async function idsMatching(collection: string, filter: Filter): Promise<PointId[]> {
  const { points } = await client.scroll(collection, { filter, limit: 100, with_payload: false });
  return points.map((p) => p.id);
}

/** Deterministic pseudo-random numbers in [-1, 1) (mulberry32). */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** The brute-force reference the stand-in's exact search must agree with. */
function reference(distance: Distance, a: number[], b: number[]): number {
  const sum = (f: (x: number, y: number) => number) => a.reduce((acc, x, i) => acc + f(x, b[i] as number), 0);
  const dot = sum((x, y) => x * y);
  if (distance === "Dot") return dot;
  if (distance === "Euclid") return Math.sqrt(sum((x, y) => (x - y) ** 2));
  if (distance === "Manhattan") return sum((x, y) => Math.abs(x - y));
  return dot / Math.sqrt(a.reduce((acc, x) => acc + x * x, 0) * b.reduce((acc, y) => acc + y * y, 0));
}

const UUID_A = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26";
const UUID_B = "0f2d6c1e-4b8a-4e57-9d3a-6a1c2b3d4e5f";

describe("collections", () => {
  it("creates, describes, lists, checks and deletes a collection", async () => {
    const name = await newCollection("lifecycle", { size: 4, distance: "Dot" });
    const info = await client.getCollection(name);
    expect(info.status).toBe("green");
    expect(info.points_count).toBe(0);
    expect(info.config.params.vectors).toMatchObject({ size: 4, distance: "Dot" });
    expect(info.payload_schema).toEqual({});
    expect(await client.collectionExists(name)).toEqual({ exists: true });
    expect((await client.getCollections()).collections).toContainEqual({ name });

    expect(await client.deleteCollection(name)).toBe(true);
    expect(await client.collectionExists(name)).toEqual({ exists: false });
    expect((await client.getCollections()).collections).not.toContainEqual({ name });
    expect(await failure(client.getCollection(name))).toEqual({
      status: 404,
      error: `Not found: Collection \`${name}\` doesn't exist!`,
    });
    // Deleting what is not there is not an error in Qdrant: the result is false.
    expect(await client.deleteCollection(name)).toBe(false);
  });

  it("refuses to create a collection twice", async () => {
    const name = await newCollection("twice");
    const { status, error } = await failure(client.createCollection(name, { vectors: { size: 4, distance: "Cosine" } }));
    expect(status).toBe(409);
    expect(error).toContain("already exists");
  });

  it("reports a version the client accepts", async () => {
    const info = await client.versionInfo();
    expect(info.title).toBe("qdrant - vector search engine");
    expect(info.version).toMatch(/^1\.\d+\.\d+/);
  });

  it("answers 404 for a collection that does not exist", async () => {
    const missing = `${prefix}missing`;
    const { status, error } = await failure(client.query(missing, { query: [1, 0, 0, 0] }));
    expect(status).toBe(404);
    expect(error).toBe(`Not found: Collection \`${missing}\` doesn't exist!`);
    expect((await failure(client.upsert(missing, { wait: true, points: [{ id: 1, vector: [1, 0, 0, 0] }] }))).status).toBe(404);
  });

  it("records payload indexes in payload_schema", async () => {
    const name = await newCollection("index");
    await client.upsert(name, {
      wait: true,
      points: [
        { id: 1, vector: [1, 0, 0, 0], payload: { color: "red", size: 3 } },
        { id: 2, vector: [0, 1, 0, 0], payload: { color: "blue" } },
        { id: 3, vector: [0, 0, 1, 0], payload: { size: 5 } },
      ],
    });
    const result = await client.createPayloadIndex(name, { field_name: "color", field_schema: "keyword", wait: true });
    expect(result.status).toBe("completed");
    await client.createPayloadIndex(name, { field_name: "size", field_schema: "integer", wait: true });
    const { payload_schema } = await client.getCollection(name);
    expect(payload_schema.color).toMatchObject({ data_type: "keyword", points: 2 });
    expect(payload_schema.size).toMatchObject({ data_type: "integer", points: 2 });
  });

  it("supports named vectors, each with its own size and distance", async () => {
    const name = await newCollection("named", { image: { size: 2, distance: "Dot" }, text: { size: 3, distance: "Euclid" } });
    expect((await client.getCollection(name)).config.params.vectors).toMatchObject({
      image: { size: 2, distance: "Dot" },
      text: { size: 3, distance: "Euclid" },
    });
    await client.upsert(name, {
      wait: true,
      points: [
        { id: 1, vector: { image: [1, 0], text: [0, 0, 0] } },
        { id: 2, vector: { image: [0, 1], text: [3, 4, 0] } },
      ],
    });
    const byText = await client.query(name, { query: [3, 4, 0], using: "text", limit: 2 });
    expect(byText.points.map((p) => [p.id, p.score])).toEqual([[2, 0], [1, 5]]);
    const byImage = await client.query(name, { query: [2, 0], using: "image", limit: 1, with_vector: ["image"] });
    expect(byImage.points[0]).toMatchObject({ id: 1, score: 2, vector: { image: [1, 0] } });
    expect((await failure(client.query(name, { query: [1, 0, 0], using: "audio" }))).status).toBe(400);
  });
});

describe("points", () => {
  const upsertFixture = async (name: string) => {
    const result = await client.upsert(name, {
      wait: true,
      points: [
        { id: 3, vector: [0, 0, 1, 0], payload: { n: 3 } },
        { id: 1, vector: [3, 4, 0, 0], payload: { n: 1, kind: "int" } },
        { id: UUID_A.toUpperCase(), vector: [0, 1, 0, 0], payload: { kind: "uuid" } },
        { id: 2, vector: [0, 0, 0, 1], payload: { n: 2 } },
        { id: UUID_B, vector: [1, 1, 1, 1] },
        { id: 10, vector: [1, 0, 0, 0], payload: { n: 10 } },
      ],
    });
    expect(result.status).toBe("completed");
  };

  it("upserts integer and UUID ids and retrieves them", async () => {
    const name = await newCollection("retrieve");
    await upsertFixture(name);
    const records = await client.retrieve(name, { ids: [1, UUID_A, 999] });
    expect(records.map((r) => r.id).sort()).toEqual([1, UUID_A]); // UUIDs come back lowercase
    const one = records.find((r) => r.id === 1);
    expect(one?.payload).toEqual({ n: 1, kind: "int" });
    expect(one?.vector).toBeUndefined();

    // Cosine vectors are stored normalised.
    const [withVector] = await client.retrieve(name, { ids: [1], with_vector: true, with_payload: false });
    expect(withVector?.payload).toBeUndefined();
    const stored = withVector?.vector as number[];
    [0.6, 0.8, 0, 0].forEach((x, i) => expect(stored[i]).toBeCloseTo(x, 6));

    // Upsert replaces the whole point.
    await client.upsert(name, { wait: true, points: [{ id: 1, vector: [1, 0, 0, 0], payload: { replaced: true } }] });
    expect((await client.retrieve(name, { ids: [1] }))[0]?.payload).toEqual({ replaced: true });
    expect(await client.count(name)).toEqual({ count: 6 });
  });

  it("returns stored vectors at f32 precision, printed as short as Qdrant prints them", async () => {
    const name = await newCollection("f32", { size: 4, distance: "Dot" });
    await client.upsert(name, { wait: true, points: [{ id: 1, vector: [0.1, -2.5, 1 / 3, 1e-3] }] });
    const [record] = await client.retrieve(name, { ids: [1], with_vector: true });
    expect(record?.vector).toEqual([0.1, -2.5, 0.33333334, 0.001]);
  });

  // The client sends bigint ids only where JSON.rawJSON exists (Node 22; npm scripts run it).
  it.skipIf(!("rawJSON" in JSON))("keeps 64-bit ids beyond 2^53 exact", async () => {
    const name = await newCollection("u64");
    const big = 2n ** 63n + 5n;
    await client.upsert(name, { wait: true, points: [{ id: big as unknown as number, vector: [1, 0, 0, 0] }] });
    const { points } = await client.scroll(name);
    expect(points[0]?.id).toBe(big);
  });

  it("counts with and without a filter", async () => {
    const name = await newCollection("count");
    await upsertFixture(name);
    expect(await client.count(name)).toEqual({ count: 6 });
    expect(await client.count(name, { exact: true, filter: { must: [{ key: "n", range: { gte: 2 } }] } })).toEqual({ count: 3 });
    expect(await client.count(name, { filter: { must: [{ key: "kind", match: { value: "nothing" } }] } })).toEqual({ count: 0 });
  });

  it("scrolls page by page in id order, numbers before UUIDs", async () => {
    const name = await newCollection("scroll");
    await upsertFixture(name);
    const seen: PointId[] = [];
    const offsets: unknown[] = [];
    let offset: PointId | undefined;
    do {
      const page = await client.scroll(name, { limit: 4, ...(offset === undefined ? {} : { offset }) });
      expect(page.points.length).toBeLessThanOrEqual(4);
      seen.push(...page.points.map((p) => p.id));
      offsets.push(page.next_page_offset ?? null);
      offset = (page.next_page_offset ?? undefined) as PointId | undefined;
    } while (offset !== undefined);
    expect(seen).toEqual([1, 2, 3, 10, UUID_B, UUID_A]);
    expect(offsets).toEqual([UUID_B, null]);

    const filtered = await client.scroll(name, { limit: 2, filter: { must: [{ key: "n", range: { gt: 1 } }] } });
    expect(filtered.points.map((p) => p.id)).toEqual([2, 3]);
    expect(filtered.next_page_offset).toBe(10);
    expect(filtered.points[0]?.payload).toEqual({ n: 2 });
  });

  it("rejects a vector of the wrong size with Qdrant's wording", async () => {
    const name = await newCollection("dimension");
    const { status, error } = await failure(client.upsert(name, { wait: true, points: [{ id: 1, vector: [1, 2, 3] }] }));
    expect(status).toBe(400);
    expect(error).toContain("Vector dimension error: expected dim: 4, got 3");
    expect(await client.count(name)).toEqual({ count: 0 });
    expect((await failure(client.query(name, { query: [1, 2] }))).error).toContain("expected dim: 4, got 2");
  });

  it("deletes points by id and by filter", async () => {
    const name = await newCollection("delete");
    await upsertFixture(name);
    const byIds = await client.delete(name, { wait: true, points: [1, UUID_A] });
    expect(byIds.status).toBe("completed");
    expect(await client.retrieve(name, { ids: [1, UUID_A] })).toEqual([]);
    expect(await client.count(name)).toEqual({ count: 4 });

    await client.delete(name, { wait: true, filter: { must: [{ key: "n", range: { gte: 3 } }] } });
    expect(await idsMatching(name, undefined)).toEqual([2, UUID_B]);
  });

  it("sets, overwrites, deletes and clears payload", async () => {
    const name = await newCollection("payload");
    await client.upsert(name, {
      wait: true,
      points: [
        { id: 1, vector: [1, 0, 0, 0], payload: { a: 1, b: 2 } },
        { id: 2, vector: [0, 1, 0, 0], payload: { a: 5 } },
      ],
    });
    const payloadOf = async (id: number) => (await client.retrieve(name, { ids: [id] }))[0]?.payload;
    await client.setPayload(name, { wait: true, points: [1], payload: { c: 3, b: 20 } });
    expect(await payloadOf(1)).toEqual({ a: 1, b: 20, c: 3 });
    await client.setPayload(name, { wait: true, filter: { must: [{ key: "a", match: { value: 5 } }] }, payload: { tagged: true } });
    expect(await payloadOf(2)).toEqual({ a: 5, tagged: true });
    await client.overwritePayload(name, { wait: true, points: [1], payload: { only: "this" } });
    expect(await payloadOf(1)).toEqual({ only: "this" });
    await client.deletePayload(name, { wait: true, points: [2], keys: ["tagged"] });
    expect(await payloadOf(2)).toEqual({ a: 5 });
    await client.clearPayload(name, { wait: true, points: [2] });
    expect(await payloadOf(2)).toEqual({});
  });
});

describe("nearest-neighbour query", () => {
  const dimension = 8;
  const random = seededRandom(20240611);
  const vectors = Array.from({ length: 60 }, () => Array.from({ length: dimension }, random));
  const queryVector = Array.from({ length: dimension }, random);

  for (const distance of ["Cosine", "Dot", "Euclid", "Manhattan"] as const) {
    it(`ranks and scores like brute force with ${distance}`, async () => {
      const name = await newCollection(`knn_${distance.toLowerCase()}`, { size: dimension, distance });
      await client.upsert(name, {
        wait: true,
        points: vectors.map((vector, i) => ({ id: i, vector, payload: { even: i % 2 === 0 } })),
      });
      const higherIsBetter = distance === "Cosine" || distance === "Dot";
      const expected = vectors
        .map((vector, id) => ({ id, score: reference(distance, queryVector, vector) }))
        .sort((a, b) => (higherIsBetter ? b.score - a.score : a.score - b.score));
      // The data must not have near-ties at the top, or f32 rounding could reorder them.
      for (let i = 0; i < 8; i++) {
        expect(Math.abs((expected[i] as { score: number }).score - (expected[i + 1] as { score: number }).score)).toBeGreaterThan(1e-4);
      }

      const { points } = await client.query(name, { query: queryVector, limit: 5 });
      expect(points.map((p) => p.id)).toEqual(expected.slice(0, 5).map((e) => e.id));
      points.forEach((p, i) => expect(p.score).toBeCloseTo((expected[i] as { score: number }).score, 4));
      expect(points[0]).not.toHaveProperty("payload"); // query returns no payload unless asked
      expect(typeof points[0]?.version).toBe("number");

      const page = await client.query(name, { query: queryVector, limit: 3, offset: 2, with_payload: true });
      expect(page.points.map((p) => p.id)).toEqual(expected.slice(2, 5).map((e) => e.id));
      expect(page.points[0]?.payload).toHaveProperty("even");

      const evens = await client.query(name, { query: queryVector, limit: 4, filter: { must: [{ key: "even", match: { value: true } }] } });
      expect(evens.points.map((p) => p.id)).toEqual(expected.filter((e) => e.id % 2 === 0).slice(0, 4).map((e) => e.id));

      // A threshold keeps only results at least as good as it.
      const cut = (expected[3] as { score: number }).score + (higherIsBetter ? -1e-3 : 1e-3);
      const thresholded = await client.query(name, { query: queryVector, limit: 10, score_threshold: cut });
      expect(thresholded.points.map((p) => p.id)).toEqual(expected.slice(0, 4).map((e) => e.id));
    });
  }

  it("queries by a stored point's id, leaving that point out", async () => {
    const name = await newCollection("by_id", { size: dimension, distance: "Cosine" });
    await client.upsert(name, { wait: true, points: vectors.slice(0, 20).map((vector, id) => ({ id, vector })) });
    const expected = vectors
      .slice(0, 20)
      .map((vector, id) => ({ id, score: reference("Cosine", vectors[7] as number[], vector) }))
      .filter((e) => e.id !== 7)
      .sort((a, b) => b.score - a.score);
    const { points } = await client.query(name, { query: 7, limit: 3 });
    expect(points.map((p) => p.id)).toEqual(expected.slice(0, 3).map((e) => e.id));
  });
});

describe("filters", () => {
  let name: string;
  beforeAll(async () => {
    name = await newCollection("filters");
    const payloads: [PointId, Record<string, unknown>][] = [
      [1, { color: "red", size: 10, tags: ["a", "b"], meta: { owner: "ann" } }],
      [2, { color: "green", size: 20, tags: ["b"], meta: { owner: "bob" } }],
      [3, { color: "blue", size: 30, tags: [], note: null }],
      [4, { color: "red", size: 40, reviews: [{ user: "ann", score: 5 }, { user: "bob", score: 2 }] }],
      [5, {}],
      [UUID_A, { color: "green", size: 25.5 }],
    ];
    await client.upsert(name, { wait: true, points: payloads.map(([id, payload]) => ({ id, vector: [1, 1, 0, 0], payload })) });
  });

  const red = { key: "color", match: { value: "red" } };

  it("must, should and must_not", async () => {
    expect(await idsMatching(name, { must: [red] })).toEqual([1, 4]);
    expect(await idsMatching(name, { should: [red, { key: "size", range: { gte: 30 } }] })).toEqual([1, 3, 4]);
    expect(await idsMatching(name, { must_not: [red] })).toEqual([2, 3, 5, UUID_A]);
    expect(await idsMatching(name, { must: [red], must_not: [{ key: "size", range: { lt: 20 } }] })).toEqual([4]);
    // Filters nest as conditions.
    expect(await idsMatching(name, {
      must: [{ should: [red, { key: "color", match: { value: "blue" } }] }],
      must_not: [{ key: "size", range: { lt: 20 } }],
    })).toEqual([3, 4]);
  });

  it("match value, any and except; range", async () => {
    expect(await idsMatching(name, { must: [{ key: "color", match: { any: ["green", "blue"] } }] })).toEqual([2, 3, UUID_A]);
    expect(await idsMatching(name, { must: [{ key: "size", match: { value: 20 } }] })).toEqual([2]);
    expect(await idsMatching(name, {
      must: [{ key: "color", match: { except: ["red", "green"] } }, { key: "size", range: { gte: 0 } }],
    })).toEqual([3]);
    expect(await idsMatching(name, { must: [{ key: "size", range: { gt: 10, lte: 30 } }] })).toEqual([2, 3, UUID_A]);
  });

  it("arrays match on any element; dotted paths reach into objects", async () => {
    expect(await idsMatching(name, { must: [{ key: "tags", match: { value: "b" } }] })).toEqual([1, 2]);
    expect(await idsMatching(name, { must: [{ key: "tags", match: { any: ["a", "z"] } }] })).toEqual([1]);
    expect(await idsMatching(name, { must: [{ key: "meta.owner", match: { value: "bob" } }] })).toEqual([2]);
    // Without `nested`, each condition may be met by a different array element…
    expect(await idsMatching(name, {
      must: [{ key: "reviews[].user", match: { value: "bob" } }, { key: "reviews[].score", range: { gte: 5 } }],
    })).toEqual([4]);
    // …with `nested`, one element must meet them all.
    const nested = (user: string) => ({
      nested: { key: "reviews", filter: { must: [{ key: "user", match: { value: user } }, { key: "score", range: { gte: 5 } }] } },
    });
    expect(await idsMatching(name, { must: [nested("bob")] })).toEqual([]);
    expect(await idsMatching(name, { must: [nested("ann")] })).toEqual([4]);
  });

  it("has_id, is_empty and is_null", async () => {
    expect(await idsMatching(name, { must: [{ has_id: [UUID_A, 2, 99] }] })).toEqual([2, UUID_A]);
    expect(await idsMatching(name, { must: [{ is_empty: { key: "tags" } }] })).toEqual([3, 4, 5, UUID_A]);
    expect(await idsMatching(name, { must: [{ is_null: { key: "note" } }] })).toEqual([3]);
  });
});
