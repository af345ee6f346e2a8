// Turns one command from a request body into what goes to Redis: validated
// arguments, a refusal, or a script rewrite whose reply needs adjusting back.
import { CommandRejectedError } from "./errors.ts";
import type { LuaShebangRewriter } from "./lua-shebang.ts";
import { refusalOf } from "./refused-commands.ts";
import type { CommandArgs, RespValue } from "./redis-link.ts";

export type PreparedCommand =
  | { args: CommandArgs; refusal?: undefined; adjustReply?: (reply: RespValue) => RespValue }
  | { refusal: string };

/**
 * Validates the JSON shape @upstash/redis sends: a non-empty array whose items
 * are strings, numbers or booleans (its serializer turns objects into JSON text).
 */
function parseCommand(raw: unknown): (string | Buffer)[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new CommandRejectedError("ERR a command must be a non-empty JSON array");
  }
  return raw.map((arg: unknown) => {
    if (typeof arg === "string" || Buffer.isBuffer(arg)) return arg;
    if (typeof arg === "number" || typeof arg === "boolean") return String(arg);
    throw new CommandRejectedError(`ERR command arguments must be strings or numbers, got ${JSON.stringify(arg)}`);
  });
}

export function prepareCommand(raw: unknown, scripts: LuaShebangRewriter): PreparedCommand {
  const args = parseCommand(raw);
  const refusal = refusalOf(args);
  if (refusal) return { refusal };
  return adaptScripts(args, scripts);
}

function adaptScripts(args: (string | Buffer)[], scripts: LuaShebangRewriter): PreparedCommand {
  const name = String(args[0]).toUpperCase();
  const second = args[1];
  if ((name === "EVAL" || name === "EVAL_RO") && typeof second === "string") {
    args[1] = scripts.scriptForRedis(second);
  } else if ((name === "EVALSHA" || name === "EVALSHA_RO") && typeof second === "string") {
    args[1] = scripts.shaForRedis(second);
  } else if (name === "SCRIPT") {
    const subcommand = String(second).toUpperCase();
    const script = args[2];
    if (subcommand === "LOAD" && typeof script === "string") {
      args[2] = scripts.scriptForRedis(script);
      const clientSha = scripts.shaForClient(script);
      return { args, adjustReply: (reply) => (Buffer.isBuffer(reply) ? Buffer.from(clientSha) : reply) };
    }
    if (subcommand === "EXISTS") {
      for (let i = 2; i < args.length; i++) {
        const sha = args[i];
        if (typeof sha === "string") args[i] = scripts.shaForRedis(sha);
      }
    }
  }
  return { args };
}
