// The Postgres adapters on a private server: migrations (schema_migrations,
// idempotent reruns, concurrent migrators, edited migrations refused) and the
// match store (exists, idempotent save, JSONB as sent).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgresServer, type PostgresServer } from "../../emulators/postgres-server.ts";
import { migrate, migrateDatabase, readMigrations } from "../../functions/adapters/postgres/migrate.ts";
import { PostgresMatchStore } from "../../functions/adapters/postgres/match-store.ts";
import { lazyPool } from "../../functions/adapters/postgres/pool.ts";

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgresServer({ database: "adapters" });
});
afterAll(async () => {
  await server?.stop();
});

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

describe("migrations", () => {
  it("apply once, record each version with its checksum, and rerun as a no-op", async () => {
    const url = await server.createDatabase("migrate_once");
    const all = (await readMigrations()).map((m) => m.version);
    expect(all).toContain("001_create_matches");
    expect(await migrateDatabase(url)).toEqual(all);
    expect(await migrateDatabase(url)).toEqual([]);
    const rows = await withClient(url, async (c) => (await c.query("SELECT version, checksum FROM schema_migrations ORDER BY version")).rows);
    expect(rows.map((r) => r.version)).toEqual(all);
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("let several migrators start at once", async () => {
    const url = await server.createDatabase("migrate_race");
    const results = await Promise.all([migrateDatabase(url), migrateDatabase(url), migrateDatabase(url)]);
    expect(results.flat().sort()).toEqual((await readMigrations()).map((m) => m.version));
  });

  it("refuse a migration edited after it was applied, and roll back one that fails", async () => {
    const url = await server.createDatabase("migrate_edit");
    const dir = await mkdtemp(path.join(os.tmpdir(), "migrations-"));
    try {
      await writeFile(path.join(dir, "001_things.sql"), "CREATE TABLE things (id int PRIMARY KEY);");
      await withClient(url, (c) => migrate(c, { dir }));
      await writeFile(path.join(dir, "001_things.sql"), "CREATE TABLE things (id bigint PRIMARY KEY);");
      await expect(withClient(url, (c) => migrate(c, { dir }))).rejects.toThrow(/001_things was changed/);

      await writeFile(path.join(dir, "001_things.sql"), "CREATE TABLE things (id int PRIMARY KEY);");
      await writeFile(path.join(dir, "002_broken.sql"), "CREATE TABLE half (id int); SELECT no_such_function();");
      await expect(withClient(url, (c) => migrate(c, { dir }))).rejects.toThrow(/002_broken failed/);
      const half = await withClient(url, async (c) => (await c.query("SELECT to_regclass('half') AS t")).rows[0].t);
      expect(half).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("PostgresMatchStore", () => {
  it("saves a match once, keeps the first write, and stores the JSON as JSONB", async () => {
    const url = await server.createDatabase("match_store");
    await migrateDatabase(url);
    const pool = lazyPool(() => ({ connectionString: url, max: 2, idleTimeoutMs: 1_000, connectionTimeoutMs: 5_000 }));
    const store = new PostgresMatchStore(pool);
    const match = {
      matchId: "EUW1_7200000001", region: "euw1", routing: "europe",
      details: '{"metadata":{"matchId":"EUW1_7200000001"},"info":{"gameMode":"CLASSIC","note":"Xin chào"}}',
      timeline: '{"info":{"frames":[{"timestamp":0}]}}',
    };
    expect(await store.exists(match.matchId)).toBe(false);
    expect(await store.save(match)).toBe(true);
    expect(await store.exists(match.matchId)).toBe(true);
    expect(await store.save({ ...match, details: '{"other":true}' })).toBe(false);
    const row = await withClient(url, async (c) =>
      (await c.query("SELECT region, routing, details->'info'->>'note' AS note, jsonb_array_length(timeline->'info'->'frames') AS frames, details ? 'other' AS overwritten FROM matches WHERE match_id = $1", [match.matchId])).rows[0]);
    expect(row).toEqual({ region: "euw1", routing: "europe", note: "Xin chào", frames: 1, overwritten: false });
    // Concurrent saves of one match: exactly one writes.
    const racing = { ...match, matchId: "EUW1_7200000002" };
    const outcomes = await Promise.all([store.save(racing), store.save(racing), store.save(racing)]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    await (await pool()).end();
  });
});
