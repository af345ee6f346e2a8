// Commands Redis itself executed, read from INFO commandstats: unlike the
// bridge's own count, it includes every redis.call made inside Lua scripts.
import { RedisReplyError } from "./errors.ts";
import type { RedisPool } from "./redis-pool.ts";

/** INFO and CONFIG are what the counting itself runs, so they are left out. */
const isCountingCommand = (name: string) => name === "info" || name === "config" || name.startsWith("config|");

/** Sums `calls` over `INFO commandstats` lines (`cmdstat_get:calls=3,usec=...`). */
export function sumCommandCalls(info: string): number {
  let total = 0;
  for (const line of info.split("\r\n")) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match && !isCountingCommand(match[1] as string)) total += Number(match[2]);
  }
  return total;
}

export async function redisCommandsExecuted(pool: RedisPool): Promise<number> {
  const [reply] = await pool.send([["INFO", "commandstats"]]);
  if (reply instanceof RedisReplyError) throw new Error(`INFO commandstats failed: ${reply.message}`);
  return sumCommandCalls(String(reply));
}

export async function resetRedisStats(pool: RedisPool): Promise<void> {
  const [reply] = await pool.send([["CONFIG", "RESETSTAT"]]);
  if (reply instanceof RedisReplyError) throw new Error(`CONFIG RESETSTAT failed: ${reply.message}`);
}
