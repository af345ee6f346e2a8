// EVALSHA first (the script is sent once per Redis server), EVAL on NOSCRIPT.
import type { Redis } from "@upstash/redis";
import type { LuaScript } from "./lua.ts";
import { DependencyError } from "../../core/errors.ts";

export type ScriptRedis = Pick<Redis, "evalsha" | "eval">;

export async function runScript<T>(redis: ScriptRedis, script: LuaScript, keys: string[], args: (string | number)[]): Promise<T> {
  const argv = args.map(String);
  try {
    return (await redis.evalsha(script.sha1, keys, argv)) as T;
  } catch (error) {
    if (error instanceof Error && error.message.includes("NOSCRIPT")) {
      try {
        return (await redis.eval(script.source, keys, argv)) as T;
      } catch (evalError) {
        throw asDependencyError(evalError);
      }
    }
    throw asDependencyError(error);
  }
}

/** Upstash errors quote the whole command (payloads included): keep only the reason. */
export function asDependencyError(error: unknown): Error {
  if (error instanceof DependencyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.split(", command was:")[0] ?? message;
  return new DependencyError("redis", reason.slice(0, 300), { cause: undefined });
}
