// Upstash accepts Lua shebang flags that open-source Redis 7.0 rejects
// (`#!lua flags=allow-key-locking`, used by every @upstash/ratelimit script).
// The bridge drops the unknown flags before Redis sees the script, and keeps a
// map from the SHA the client computed (of the original text) to the SHA Redis
// caches (of the rewritten text), so EVALSHA keeps hitting the script cache.
import { createHash } from "node:crypto";

/** Shebang flags Redis 7.0 understands (https://redis.io/docs/latest/develop/interact/programmability/lua-api/). */
const redisFlags = new Set(["no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"]);

/** Bounds memory if a client generates scripts; real applications have a handful. */
const maxRemembered = 1_000;

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

export class LuaShebangRewriter {
  /** Original script → the text Redis runs (identical when no rewrite is needed). */
  private readonly rewritten = new Map<string, string>();
  /** SHA of the original text → SHA of the rewritten text. */
  private readonly redisSha = new Map<string, string>();

  /** The script text to send to Redis in place of `script`. */
  scriptForRedis(script: string): string {
    if (!script.startsWith("#!")) return script;
    const known = this.rewritten.get(script);
    if (known !== undefined) return known;
    const forRedis = dropUnknownFlags(script);
    if (this.rewritten.size >= maxRemembered) {
      this.rewritten.clear();
      this.redisSha.clear();
    }
    this.rewritten.set(script, forRedis);
    if (forRedis !== script) this.redisSha.set(sha1(script), sha1(forRedis));
    return forRedis;
  }

  /** The SHA Redis knows for a script the client hashed as `clientSha`. */
  shaForRedis(clientSha: string): string {
    return this.redisSha.get(clientSha.toLowerCase()) ?? clientSha;
  }

  /** The SHA the client expects back from SCRIPT LOAD: that of the text it sent. */
  shaForClient(script: string): string {
    return sha1(script);
  }
}

function dropUnknownFlags(script: string): string {
  const newline = script.indexOf("\n");
  const firstLine = newline < 0 ? script : script.slice(0, newline);
  const rest = newline < 0 ? "" : script.slice(newline);
  const words = firstLine.split(/\s+/).filter((word) => word !== "");
  const kept = words.flatMap((word) => {
    if (!word.startsWith("flags=")) return [word];
    const flags = word.slice("flags=".length).split(",").filter((flag) => redisFlags.has(flag));
    return flags.length > 0 ? [`flags=${flags.join(",")}`] : [];
  });
  if (kept.length === words.length && kept.every((word, i) => word === words[i])) return script;
  return kept.join(" ") + rest;
}
