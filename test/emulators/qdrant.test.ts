// Conformance of the Qdrant stand-in: the real @qdrant/js-client-rest against it.
// With QDRANT_URL set (and QDRANT_API_KEY if needed) the same suite runs against
// a real Qdrant instead: collections get a random prefix and are deleted after.
import { randomUUID } from "node:crypto";
import { QdrantClient } from "@qdrant/js-client-rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startQdrantEmulator, type QdrantEmulator } from "../../emulators/qdrant/index.ts";

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

/** Ids of the points a filter selects, via a query without a vector (which returns them in id order). */
async function idsMatching(collection: string, filter: Filter): Promise<PointId[]> {
  const { points } = await client.query(collection, { ...(filter ? { filter } : {}), limit: 100 });
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

/** The brute-force Cosine similarity the stand-in's exact search must agree with. */
function reference(a: number[], b: number[]): number {
  const dot = (x: number[], y: number[]) => x.reduce((acc, v, i) => acc + v * (y[i] as number), 0);
  return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
}

const UUID_A = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26";
const UUID_B = "0f2d6c1e-4b8a-4e57-9d3a-6a1c2b3d4e5f";

describe("collections", () => {
  it("creates, describes, lists, checks and deletes a collection", async () => {
    const name = await newCollection("lifecycle");
    const info = await client.getCollection(name);
    expect(info.status).toBe("green");
    expect(info.points_count).toBe(0);
    expect(info.config.params.vectors).toMatchObject({ size: 4, distance: "Cosine" });
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

  it("upserts integer and UUID ids; an upsert replaces the whole point", async () => {
    const name = await newCollection("upsert");
    await upsertFixture(name);
    expect(await idsMatching(name, undefined)).toEqual([1, 2, 3, 10, UUID_B, UUID_A]); // UUIDs come back lowercase, after numbers
    await client.upsert(name, { wait: true, points: [{ id: 1, vector: [1, 0, 0, 0], payload: { replaced: true } }] });
    const { points } = await client.query(name, { filter: { must: [{ key: "replaced", match: { value: true } }] }, with_payload: true });
    expect(points.map((p) => [p.id, p.payload])).toEqual([[1, { replaced: true }]]);
    expect(await client.count(name)).toEqual({ count: 6 });
  });

  it("counts with and without a filter", async () => {
    const name = await newCollection("count");
    await upsertFixture(name);
    expect(await client.count(name)).toEqual({ count: 6 });
    expect(await client.count(name, { exact: true, filter: { must: [{ key: "n", range: { gte: 2 } }] } })).toEqual({ count: 3 });
    expect(await client.count(name, { filter: { must: [{ key: "kind", match: { value: "nothing" } }] } })).toEqual({ count: 0 });
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
    expect(await idsMatching(name, undefined)).toEqual([2, 3, 10, UUID_B]);

    await client.delete(name, { wait: true, filter: { must: [{ key: "n", range: { gte: 3 } }] } });
    expect(await idsMatching(name, undefined)).toEqual([2, UUID_B]);
  });
});

describe("nearest-neighbour query", () => {
  const dimension = 8;
  const random = seededRandom(20240611);
  const vectors = Array.from({ length: 60 }, () => Array.from({ length: dimension }, random));
  const queryVector = Array.from({ length: dimension }, random);

  {
    it("ranks and scores like brute force with Cosine", async () => {
      const name = await newCollection("knn", { size: dimension, distance: "Cosine" });
      await client.upsert(name, {
        wait: true,
        points: vectors.map((vector, i) => ({ id: i, vector, payload: { even: i % 2 === 0 } })),
      });
      const expected = vectors.map((vector, id) => ({ id, score: reference(queryVector, vector) })).sort((a, b) => b.score - a.score);
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
      const cut = (expected[3] as { score: number }).score - 1e-3;
      const thresholded = await client.query(name, { query: queryVector, limit: 10, score_threshold: cut });
      expect(thresholded.points.map((p) => p.id)).toEqual(expected.slice(0, 4).map((e) => e.id));
    });
  }
});

describe("filters", () => {
  let name: string;
  beforeAll(async () => {
    name = await newCollection("filters");
    const payloads: [PointId, Record<string, unknown>][] = [
      [1, { color: "red", size: 10, tags: ["a", "b"], meta: { owner: "ann" } }],
      [2, { color: "green", size: 20, tags: ["b"], meta: { owner: "bob" } }],
      [3, { color: "blue", size: 30, tags: [] }],
      [4, { color: "red", size: 40 }],
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
  });
});

// What the stand-in does not implement is refused by name, so code that starts
// using it fails here rather than passing against wrong results. Real Qdrant
// serves all of these: the suite skips them there.
describe.skipIf(realQdrant)("what the stand-in refuses", () => {
  it("filter conditions and clauses the adapter never sends", async () => {
    const name = await newCollection("refused");
    for (const filter of [
      { must: [{ has_id: [1] }] }, { must: [{ is_empty: { key: "tags" } }] }, { must: [{ is_null: { key: "note" } }] },
      { must: [{ nested: { key: "reviews", filter: { must: [] } } }] },
      { must: [{ key: "place", geo_polygon: { exterior: { points: [] } } }] }, { must: [{ key: "tags", values_count: { gt: 1 } }] },
      { min_should: { conditions: [], min_count: 1 } }, { must: [{ key: "text", match: { text: "hello" } }] },
    ] as Filter[]) {
      const { status, error } = await failure(client.count(name, { filter }));
      expect(status, JSON.stringify(filter)).toBe(501);
      expect(error).toContain("not supported by the local Qdrant stand-in");
    }
  });

  it("named vectors, distances other than Cosine, ids beyond 2^53 and routes it does not serve", async () => {
    expect((await failure(client.createCollection(`${prefix}named`, { vectors: { text: { size: 3, distance: "Cosine" } } }))).error).toContain("not supported");
    expect((await failure(client.createCollection(`${prefix}dot`, { vectors: { size: 3, distance: "Dot" } }))).error).toContain("Distance Dot");
    const name = await newCollection("routes");
    expect((await failure(client.upsert(name, { wait: true, points: [{ id: 2 ** 60, vector: [1, 0, 0, 0] }] }))).status).toBe(400);
    const { status, error } = await failure(client.scroll(name));
    expect(status).toBe(501);
    expect(error).toContain("not supported by the local Qdrant stand-in");
    expect((await fetch(`${emulator?.url}/nothing-here`)).status).toBe(404);
  });
});

describe.skipIf(realQdrant)("api-key", () => {
  it("with a key configured, answers 401 without it or with a wrong one, as Qdrant does; the health probes stay open", async () => {
    const keyed = await startQdrantEmulator({ apiKey: "secret-key" });
    try {
      const none = await fetch(`${keyed.url}/collections`);
      expect([none.status, await none.text()]).toEqual([401, "Must provide an API key or an Authorization bearer token"]);
      const wrong = await fetch(`${keyed.url}/collections`, { headers: { "api-key": "other" } });
      expect([wrong.status, await wrong.text()]).toEqual([401, "Invalid API key or JWT"]);
      expect((await fetch(`${keyed.url}/collections`, { headers: { authorization: "Bearer secret-key" } })).status).toBe(200);
      expect((await fetch(`${keyed.url}/healthz`)).status).toBe(200);
      const withKey = new QdrantClient({ url: keyed.url, apiKey: "secret-key", checkCompatibility: false });
      expect(await withKey.createCollection("keyed", { vectors: { size: 2, distance: "Cosine" } })).toBe(true);
      expect((await failure(new QdrantClient({ url: keyed.url, checkCompatibility: false }).getCollections())).status).toBe(401);
    } finally {
      await keyed.close();
    }
  });
});
