// `npm run dev`'s output: the functions' Cloud Logging JSON read back as one
// human line each (time, source, severity, message, the other fields as k=v, a
// stack below), coloured only on a terminal: redirected to a file, no escapes.
import { stripVTControlCharacters } from "node:util";

const SOURCE_COLOURS: Record<string, string> = { api: "36", worker: "35", events: "34", "cloud-tasks": "33", receiver: "32" };
const SEVERITY_COLOURS: Record<string, string> = { WARNING: "33", ERROR: "31", CRITICAL: "31;1", DEBUG: "2" };
// What a person reading the terminal does not need on every line.
const QUIET = new Set(["severity", "time", "message", "logging.googleapis.com/spanId", "logging.googleapis.com/trace_sampled", "serviceContext", "stack_trace", "err"]);
const TRACE_KEY = "logging.googleapis.com/trace";

/** Whether to colour: a terminal, and NO_COLOR unset (https://no-color.org). */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

export function formatLine(source: string, line: string, colour: boolean): string {
  const paint = (code: string | undefined, text: string) => (colour && code ? `\x1b[${code}m${text}\x1b[0m` : text);
  const entry = parseEntry(line);
  const from = paint(SOURCE_COLOURS[source] ?? "0", source.padEnd(11));
  if (!entry) return `${from} ${colour ? line : stripVTControlCharacters(line)}`;
  const time = typeof entry.time === "string" ? entry.time.slice(11, 23) : "";
  const severity = typeof entry.severity === "string" ? entry.severity : "DEFAULT";
  const fields = Object.entries(entry)
    .filter(([key]) => !QUIET.has(key))
    .map(([key, value]) => (key === TRACE_KEY ? `trace=${String(value).split("/").pop()?.slice(0, 8)}` : `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`));
  const head = [time, from, paint(SEVERITY_COLOURS[severity], severity.padEnd(7)), String(entry.message ?? ""), ...fields].filter(Boolean).join(" ");
  const stack = typeof entry.stack_trace === "string" ? entry.stack_trace : errStack(entry.err);
  const text = stack ? `${head}\n${stack.split("\n").map((l) => `    ${l}`).join("\n")}` : head;
  return colour ? text : stripVTControlCharacters(text);
}

function errStack(err: unknown): string | undefined {
  return err && typeof err === "object" && "stack" in err && typeof err.stack === "string" ? err.stack : undefined;
}

function parseEntry(line: string): Record<string, unknown> | null {
  if (!line.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
