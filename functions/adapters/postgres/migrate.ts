// Applies the SQL migrations kept beside this file (migrations/NNN_name.sql), in
// name order, each in its own transaction, and records them in schema_migrations
// with a checksum: an applied migration that was edited afterwards is an error,
// not something to run again. An advisory lock lets several migrators start at
// once (two instances, a deploy and a dev stack) without racing.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ClientBase } from "pg";

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

// Any constant: the key of the advisory lock that serialises migrators.
const LOCK_KEY = 4_711_002;
const FILE_NAME = /^\d{3,}_[a-z0-9_]+\.sql$/;

export interface Migration {
  version: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(".sql")).sort();
  const bad = names.filter((name) => !FILE_NAME.test(name));
  if (bad.length) throw new Error(`migration file names must look like 001_create_things.sql: ${bad.join(", ")}`);
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name), "utf8");
      return { version: name.replace(/\.sql$/, ""), sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/** Applies what is not applied yet; returns the versions it applied. */
export async function migrate(client: ClientBase, options: { dir?: string; log?: (line: string) => void } = {}): Promise<string[]> {
  const migrations = await readMigrations(options.dir);
  await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    text PRIMARY KEY,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: string; checksum: string }>("SELECT version, checksum FROM schema_migrations");
    const applied = new Map(rows.map((row) => [row.version, row.checksum]));
    const done: string[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(`migration ${migration.version} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query("INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)", [migration.version, migration.checksum]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${migration.version} failed: ${(error as Error).message}`, { cause: error });
      }
      options.log?.(`applied ${migration.version}`);
      done.push(migration.version);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
  }
}

/** Connects to `databaseUrl`, migrates, disconnects. */
export async function migrateDatabase(databaseUrl: string, log?: (line: string) => void): Promise<string[]> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await migrate(client, { ...(log ? { log } : {}) });
  } finally {
    await client.end();
  }
}
