// `npm run db:migrate`: applies the migrations to the database DATABASE_URL names.
import { migrateDatabase } from "./migrate.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write("DATABASE_URL is not set (e.g. postgres://user:password@host:5432/db)\n");
  process.exit(2);
}

try {
  const applied = await migrateDatabase(url, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(applied.length ? `${applied.length} migration(s) applied\n` : "schema is up to date\n");
} catch (error) {
  // The URL may hold a password: say which host, never the URL.
  const host = URL.canParse(url) ? new URL(url).host : "the database";
  process.stderr.write(`db:migrate on ${host} failed: ${(error as Error).message}\n`);
  process.exit(1);
}
