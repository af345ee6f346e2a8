// A few long-lived pipelined connections to one redis-server. Each batch goes to
// the least busy live connection; dead ones are reopened on demand, so the bridge
// recovers when Redis comes back, and fails fast (no waiting) while it is down.
import { RedisUnavailableError } from "./errors.ts";
import { RedisConnection } from "./redis-connection.ts";
import type { CommandArgs } from "./resp-encode.ts";
import type { RespValue } from "./resp-parser.ts";

export class RedisPool {
  private readonly port: number;
  private readonly live: (RedisConnection | undefined)[];
  private readonly connecting: (Promise<RedisConnection> | undefined)[];
  private closed = false;

  /** `size` defaults to 4: Redis is single-threaded, a few pipelined sockets keep it busy. */
  constructor(port: number, size = 4) {
    this.port = port;
    this.live = new Array<RedisConnection | undefined>(size).fill(undefined);
    this.connecting = new Array<Promise<RedisConnection> | undefined>(size).fill(undefined);
  }

  /** Runs the commands as one pipelined batch on one connection. */
  async send(commands: readonly CommandArgs[]): Promise<RespValue[]> {
    const connection = await this.acquire();
    return connection.send(commands);
  }

  /** Opens every connection; throws RedisUnavailableError if Redis is not there. */
  async warmUp(): Promise<void> {
    await Promise.all(this.live.map((_, slot) => this.connect(slot)));
  }

  close(): void {
    this.closed = true;
    for (const connection of this.live) connection?.close();
  }

  private async acquire(): Promise<RedisConnection> {
    if (this.closed) throw new RedisUnavailableError("the bridge is closed");
    let best: RedisConnection | undefined;
    for (let slot = 0; slot < this.live.length; slot++) {
      const connection = this.live[slot];
      if (connection?.alive) {
        if (!best || connection.pendingBatches < best.pendingBatches) best = connection;
      } else if (!this.connecting[slot]) {
        // Reopen in the background; a failure only matters if nothing else is live.
        this.connect(slot).catch(() => undefined);
      }
    }
    if (best) return best;
    const attempts = this.connecting.filter((attempt) => attempt !== undefined);
    try {
      return await Promise.any(attempts);
    } catch (error) {
      const first = error instanceof AggregateError ? error.errors[0] : error;
      throw first instanceof RedisUnavailableError ? first : new RedisUnavailableError(String(first));
    }
  }

  private connect(slot: number): Promise<RedisConnection> {
    const existing = this.connecting[slot];
    if (existing) return existing;
    const attempt = RedisConnection.open(this.port).then(
      (connection) => {
        this.connecting[slot] = undefined;
        if (this.closed) {
          connection.close();
          throw new RedisUnavailableError("the bridge is closed");
        }
        this.live[slot] = connection;
        return connection;
      },
      (error: unknown) => {
        this.connecting[slot] = undefined;
        throw error;
      },
    );
    this.connecting[slot] = attempt;
    return attempt;
  }
}
