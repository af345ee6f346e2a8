// One small, lazily built connection pool per instance. Serverless instances
// are many and short-lived, so each keeps few connections and lets idle ones go:
// Cloud SQL's connection limit is shared by every instance at once.
import type { Pool } from "pg";

export interface PoolOptions {
  connectionString: string;
  /** Connections per instance. */
  max: number;
  /** An idle connection is closed after this long. */
  idleTimeoutMs: number;
  /** Waiting for a connection (or to open one) fails after this long. */
  connectionTimeoutMs: number;
  /** A statement runs at most this long: the server cancels it (statement_timeout) and the client stops waiting (query_timeout). Default 10,000. */
  queryTimeoutMs?: number;
  /** Errors of idle connections (a server restart, say); the pool replaces them. */
  onIdleError?: (error: Error) => void;
}

/** Builds the pool on first call; `pg` is imported then, off the cold path of functions that never query. */
export function lazyPool(options: () => PoolOptions): () => Promise<Pool> {
  let pool: Promise<Pool> | undefined;
  return () => {
    pool ??= (async () => {
      const { default: pg } = await import("pg");
      const o = options();
      const built = new pg.Pool({
        connectionString: o.connectionString,
        max: o.max,
        idleTimeoutMillis: o.idleTimeoutMs,
        connectionTimeoutMillis: o.connectionTimeoutMs,
        statement_timeout: o.queryTimeoutMs ?? 10_000,
        // A server that stalls cannot cancel anything: the client gives up a little later.
        query_timeout: (o.queryTimeoutMs ?? 10_000) + 1_000,
        // An idle pool must not keep a finished process (a CLI, a test) alive.
        allowExitOnIdle: true,
      });
      // Without a listener, an idle connection's error would crash the instance.
      built.on("error", (error) => o.onIdleError?.(error));
      return built;
    })().catch((error: unknown) => {
      pool = undefined;
      throw error;
    });
    return pool;
  };
}
