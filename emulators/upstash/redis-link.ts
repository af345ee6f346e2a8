// The bridge's side of redis-server: one @redis/client connection speaking RESP2,
// replies as they come off the wire (bulk strings as Buffers, status replies as
// strings, error replies inside arrays as ErrorReply values). Commands issued in
// the same tick leave in one write, in order, on that one connection, so a
// MULTI…EXEC batch is never interleaved with another request's commands.
import { createClient, ErrorReply, RESP_TYPES } from "@redis/client";
import { RedisUnavailableError } from "./errors.ts";

export { ErrorReply } from "@redis/client";

export type RespValue = string | number | null | Buffer | ErrorReply | RespValue[];
export type CommandArgs = readonly (string | Buffer)[];

export interface RedisLink {
  /** Runs the commands as one batch; an error reply is a value, an unreachable Redis throws RedisUnavailableError. */
  send(commands: readonly CommandArgs[]): Promise<RespValue[]>;
  close(): void;
}

/** Connects, or fails with RedisUnavailableError; afterwards reconnects by itself when Redis comes back. */
export async function connectRedis(port: number): Promise<RedisLink> {
  const where = `127.0.0.1:${port}`;
  let ready = false;
  const client = createClient({
    RESP: 2,
    // While Redis is away, answer at once (the bridge's 503) rather than queue.
    disableOfflineQueue: true,
    socket: { host: "127.0.0.1", port, connectTimeout: 2_000, noDelay: true, reconnectStrategy: (_retries, cause) => (ready ? 100 : cause) },
  }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  client.on("error", () => undefined); // each failure reaches the request it hit
  client.on("ready", () => { ready = true; });
  try {
    await client.connect();
  } catch (error) {
    client.destroy();
    throw new RedisUnavailableError(`Redis at ${where} is unreachable: ${(error as Error).message}`);
  }
  return {
    async send(commands) {
      const settled = await Promise.allSettled(commands.map(async (args) => (await client.sendCommand(args)) as RespValue));
      return settled.map((outcome) => {
        if (outcome.status === "fulfilled") return outcome.value;
        if (outcome.reason instanceof ErrorReply) return outcome.reason;
        throw new RedisUnavailableError(`Redis at ${where} is unreachable: ${(outcome.reason as Error).message}`);
      });
    },
    close: () => client.destroy(),
  };
}
