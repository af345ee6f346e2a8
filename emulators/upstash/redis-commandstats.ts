// Commands Redis itself executed, read from INFO commandstats: unlike the
// bridge's own count, it includes every redis.call made inside Lua scripts.
import { ErrorReply, type RedisLink } from "./redis-link.ts";

/** INFO and CONFIG are what the counting itself runs, so they are left out. */
const isCountingCommand = (name: string) => name === "info" || name === "config" || name.startsWith("config|");

/** Sums `calls` over `INFO commandstats` lines (`cmdstat_get:calls=3,usec=...`). */
function sumCommandCalls(info: string): number {
  let total = 0;
  for (const line of info.split("\r\n")) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match && !isCountingCommand(match[1] as string)) total += Number(match[2]);
  }
  return total;
}

export async function redisCommandsExecuted(redis: RedisLink): Promise<number> {
  const [reply] = await redis.send([["INFO", "commandstats"]]);
  if (reply instanceof ErrorReply) throw new Error(`INFO commandstats failed: ${reply.message}`);
  return sumCommandCalls(String(reply));
}

export async function resetRedisStats(redis: RedisLink): Promise<void> {
  const [reply] = await redis.send([["CONFIG", "RESETSTAT"]]);
  if (reply instanceof ErrorReply) throw new Error(`CONFIG RESETSTAT failed: ${reply.message}`);
}
