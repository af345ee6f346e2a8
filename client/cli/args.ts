// tq's command line: which command, its operands and options, checked before
// anything is sent. node:util parseArgs does the parsing; this file knows tq's commands.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

export class UsageError extends Error {
  override readonly name = "UsageError";
}

const OPTIONS = {
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  url: { type: "string" },
  payload: { type: "string", short: "p" },
  wait: { type: "boolean", short: "w" },
  timeout: { type: "string" },
  countdown: { type: "string" },
  priority: { type: "string" },
  "idempotency-key": { type: "string" },
  status: { type: "string" },
  queue: { type: "string" },
  type: { type: "string" },
  limit: { type: "string" },
  terminate: { type: "boolean" },
  interval: { type: "string" },
  cron: { type: "string" },
  task: { type: "string" },
  "time-zone": { type: "string" },
  description: { type: "string" },
  results: { type: "boolean" },
} as const;
type OptionName = keyof typeof OPTIONS;

const COMMON: OptionName[] = ["json", "help", "url"];

/** Each command: its operands (names for the help and the errors) and the options it takes. */
const COMMANDS = {
  submit: { operands: ["TYPE"], options: ["payload", "wait", "timeout", "countdown", "priority", "idempotency-key"], summary: "submit a task; --wait follows it to the end" },
  status: { operands: ["ID"], options: [], summary: "a task's status, progress and error" },
  result: { operands: ["ID"], options: [], summary: "a task's result (exit 4 while it runs)" },
  ls: { operands: [], options: ["status", "queue", "type", "limit"], summary: "list tasks, newest first" },
  cancel: { operands: ["ID"], options: ["terminate"], summary: "revoke a queued task; --terminate aborts a running one" },
  retry: { operands: ["ID"], options: [], summary: "run a FAILURE again" },
  tail: { operands: [], options: ["status", "queue", "type", "interval"], summary: "follow new tasks and their outcomes (Ctrl-C stops)" },
  queues: { operands: [], options: [], summary: "queues with counts, rates and latency" },
  pause: { operands: ["QUEUE"], options: [], summary: "pause a queue" },
  resume: { operands: ["QUEUE"], options: [], summary: "resume a queue" },
  schedules: { operands: ["ACTION", "NAME?"], options: ["cron", "task", "payload", "time-zone", "description"], summary: "ls | create NAME --cron --task [--payload] | pause | resume | trigger | rm NAME" },
  groups: { operands: ["ID"], options: ["results"], summary: "a group's, chain's or chord's state and members" },
} as const satisfies Record<string, { operands: readonly string[]; options: readonly OptionName[]; summary: string }>;
type CommandName = keyof typeof COMMANDS;

export const ScheduleAction = ["ls", "create", "pause", "resume", "trigger", "rm"] as const;
export type ScheduleAction = (typeof ScheduleAction)[number];

export interface Invocation {
  command: CommandName | "help";
  operands: string[];
  json: boolean;
  url: string | undefined;
  /** Options as given, already checked against the command. */
  options: Partial<Record<OptionName, string | boolean>>;
}

export function parseInvocation(argv: string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [name, ...operands] = parsed.positionals;
  const options = parsed.values as Invocation["options"];
  const base = { json: options.json === true, url: options.url as string | undefined, options };
  if (!name || name === "help" || options.help) return { command: "help", operands: name && name !== "help" ? [name] : operands, ...base };
  if (!(name in COMMANDS)) throw new UsageError(`unknown command "${name}"; try tq help`);
  const command = name as CommandName;
  const spec = COMMANDS[command];
  const allowed: readonly OptionName[] = [...COMMON, ...spec.options];
  for (const option of Object.keys(options) as OptionName[]) {
    if (!allowed.includes(option)) throw new UsageError(`tq ${command} takes no --${option}`);
  }
  const required = spec.operands.filter((o) => !o.endsWith("?"));
  if (operands.length < required.length) throw new UsageError(`tq ${command} needs ${required.join(" ")}`);
  if (operands.length > spec.operands.length) throw new UsageError(`tq ${command} takes ${spec.operands.length || "no"} operand${spec.operands.length === 1 ? "" : "s"}; got ${operands.join(" ")}`);
  if (command === "schedules") checkScheduleAction(operands, options);
  return { command, operands, ...base };
}

function checkScheduleAction(operands: string[], options: Invocation["options"]): void {
  const action = operands[0] as ScheduleAction;
  if (!ScheduleAction.includes(action)) throw new UsageError(`tq schedules takes one of ${ScheduleAction.join(", ")}; got "${operands[0]}"`);
  if (action !== "ls" && !operands[1]) throw new UsageError(`tq schedules ${action} needs NAME`);
  if (action === "create" && (!options.cron || !options.task)) throw new UsageError("tq schedules create NAME needs --cron and --task");
  if (action !== "create" && ["cron", "task", "payload", "time-zone", "description"].some((o) => o in options)) {
    throw new UsageError(`tq schedules ${action} takes no schedule options`);
  }
}

/** --payload: inline JSON, or @file with JSON in it. */
export function readPayload(value: string | undefined, read: (file: string) => string = (f) => readFileSync(f, "utf8")): unknown {
  if (value === undefined) return {};
  let text = value;
  if (value.startsWith("@")) {
    try {
      text = read(value.slice(1));
    } catch (error) {
      throw new UsageError(`--payload ${value}: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--payload is not JSON: ${(error as Error).message}`);
  }
}

/** A numeric option: a finite number at least `min`. */
export function numberOption(options: Invocation["options"], name: OptionName, min = 0): number | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number ≥ ${min}; got "${String(value)}"`);
  return n;
}

export function helpText(command?: string): string {
  if (command && command in COMMANDS) {
    const spec = COMMANDS[command as CommandName];
    const opts = spec.options.map((o) => `[--${o}${OPTIONS[o].type === "string" ? " …" : ""}]`).join(" ");
    return `tq ${command} ${spec.operands.join(" ")} ${opts} [--json]\n  ${spec.summary}\n`;
  }
  const lines = Object.entries(COMMANDS).map(([name, spec]) => `  ${`${name} ${spec.operands.join(" ")}`.padEnd(24)} ${spec.summary}`);
  return [
    "tq: the task platform from the command line, over its HTTP API.",
    "",
    "usage: tq COMMAND [operands] [options] [--json]",
    ...lines,
    "",
    "TQ_URL (default http://127.0.0.1:8080, or --url) and TQ_API_KEY say where and who.",
    "--json prints JSON on stdout instead of text. Exit codes: 0 done (SUCCESS), 1 the task ended FAILURE",
    "or REVOKED, 2 bad arguments, 3 the API refused or could not be reached, 4 not finished (or --timeout passed).",
    "",
  ].join("\n");
}
