// The three ways Upstash runs commands, with its status codes: one command (an
// error reply is HTTP 400), a pipeline (per-command results, always 200) and a
// transaction (MULTI…EXEC sent as one write on one connection).
import type { BridgeCounters } from "./bridge-counters.ts";
import { CommandRejectedError } from "./errors.ts";
import type { LuaShebangRewriter } from "./lua-shebang.ts";
import { prepareCommand, type PreparedCommand } from "./prepare-command.ts";
import { ErrorReply, type CommandArgs, type RedisLink, type RespValue } from "./redis-link.ts";
import { replyToItem, replyToJson } from "./reply-json.ts";

export interface Executor {
  redis: RedisLink;
  scripts: LuaShebangRewriter;
  counters: BridgeCounters;
}

export interface RestAnswer {
  status: number;
  body: unknown;
}

type Forwarded = Extract<PreparedCommand, { args: CommandArgs }>;

const adjusted = (command: Forwarded, reply: RespValue) =>
  command.adjustReply && !(reply instanceof ErrorReply) ? command.adjustReply(reply) : reply;

export async function runSingle(executor: Executor, raw: unknown, base64: boolean): Promise<RestAnswer> {
  const command = prepareCommand(raw, executor.scripts);
  if (command.refusal !== undefined) return { status: 400, body: { error: command.refusal } };
  executor.counters.commands++;
  const [reply] = await executor.redis.send([command.args]);
  if (reply instanceof ErrorReply) return { status: 400, body: { error: reply.message } };
  return { status: 200, body: { result: replyToJson(adjusted(command, reply as RespValue), base64) } };
}

export async function runPipeline(executor: Executor, raw: unknown, base64: boolean): Promise<RestAnswer> {
  const commands = prepareAll(executor, raw);
  const forwarded = commands.filter((command): command is Forwarded => command.refusal === undefined);
  executor.counters.commands += forwarded.length;
  const replies = await executor.redis.send(forwarded.map((command) => command.args));
  let next = 0;
  const items = commands.map((command) => {
    if (command.refusal !== undefined) return { error: command.refusal };
    return replyToItem(adjusted(command, replies[next++] as RespValue), base64);
  });
  return { status: 200, body: items };
}

export async function runTransaction(executor: Executor, raw: unknown, base64: boolean): Promise<RestAnswer> {
  const commands = prepareAll(executor, raw);
  const refused = commands.find((command) => command.refusal !== undefined);
  if (refused?.refusal !== undefined) return { status: 400, body: { error: refused.refusal } };
  const forwarded = commands as Forwarded[];
  executor.counters.commands += forwarded.length;
  const replies = await executor.redis.send([["MULTI"], ...forwarded.map((command) => command.args), ["EXEC"]]);
  const exec = replies[replies.length - 1];
  if (!Array.isArray(exec)) {
    // EXECABORT: a command was rejected while queueing (wrong arity, unknown name).
    const queueError = replies.slice(1, -1).find((reply): reply is ErrorReply => reply instanceof ErrorReply);
    const reason = [exec instanceof ErrorReply ? exec.message : "EXECABORT transaction aborted", queueError?.message];
    return { status: 400, body: { error: reason.filter(Boolean).join(": ") } };
  }
  const items = forwarded.map((command, i) => replyToItem(adjusted(command, exec[i] as RespValue), base64));
  return { status: 200, body: items };
}

function prepareAll(executor: Executor, raw: unknown): PreparedCommand[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new CommandRejectedError("ERR the body must be a non-empty JSON array of commands");
  }
  return raw.map((command: unknown) => prepareCommand(command, executor.scripts));
}
