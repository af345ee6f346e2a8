// MatchStore on Postgres: one row per match, details and timeline as JSONB.
import type { Pool } from "pg";
import type { MatchStore, StoredMatch } from "../../tasks/matches/ports.ts";

export class PostgresMatchStore implements MatchStore {
  readonly #pool: () => Promise<Pool>;

  constructor(pool: () => Promise<Pool>) {
    this.#pool = pool;
  }

  async exists(matchId: string): Promise<boolean> {
    const pool = await this.#pool();
    const { rowCount } = await pool.query("SELECT 1 FROM matches WHERE match_id = $1", [matchId]);
    return (rowCount ?? 0) > 0;
  }

  /**
   * ON CONFLICT DO NOTHING, not DO UPDATE: a finished match never changes
   * upstream, so a second writer (two tasks for one match racing past exists())
   * holds the same data, and rewriting megabytes of TOASTed JSONB would only cost
   * WAL and vacuum. The JSON text goes in as received; Postgres parses it once.
   */
  async save(match: StoredMatch): Promise<boolean> {
    const pool = await this.#pool();
    const { rowCount } = await pool.query(
      `INSERT INTO matches (match_id, region, routing, details, timeline)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)
       ON CONFLICT (match_id) DO NOTHING`,
      [match.matchId, match.region, match.routing, match.details, match.timeline],
    );
    return rowCount === 1;
  }
}
