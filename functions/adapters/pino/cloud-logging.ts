// Pino writing the JSON lines Cloud Logging reads as structured entries:
// `severity`, `message`, an RFC 3339 `time`, the trace and span of the request or
// delivery the line belongs to, and a `stack_trace` Error Reporting picks up.
//
// Written here rather than taken from @google-cloud/pino-logging-gcp-config (which
// works with pino 10): that package loads @google-cloud/logging and google-gax at
// import, 0.5–0.7 s on every cold start here, for what is ~40 lines of pino
// options; and it writes `timestamp` as {seconds, nanos}, not an RFC 3339 `time`.
// The field names are the ones it (and Cloud Logging's agent) uses.
import { format } from "node:util";
import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";
import type { TraceContext } from "../../core/trace-context.ts";

/** Pino's levels as Cloud Logging severities (LogSeverity). */
const SEVERITY = {
  trace: "DEBUG", debug: "DEBUG", info: "INFO", warn: "WARNING", error: "ERROR", fatal: "CRITICAL",
} as const satisfies Record<string, string>;

export const TRACE_KEY = "logging.googleapis.com/trace";
export const SPAN_KEY = "logging.googleapis.com/spanId";
const SAMPLED_KEY = "logging.googleapis.com/trace_sampled";

export interface CloudLoggingOptions {
  level: string;
  /** The project traces belong to: `projects/<project>/traces/<trace id>`. */
  project: string;
  /** Error Reporting groups errors by service and version (Cloud Run's K_SERVICE, K_REVISION). */
  service: string;
  version: string;
  /** The trace of the request or delivery running now (read per line written, never for a disabled level). */
  trace: () => TraceContext | undefined;
  /** Paths whose values never reach a line. */
  redact?: string[];
  /** Default: stdout. */
  destination?: DestinationStream;
}

export function cloudLogger(options: CloudLoggingOptions): PinoLogger {
  const traces = `projects/${options.project}/traces/`;
  const serviceContext = { service: options.service, version: options.version };
  const settings: pino.LoggerOptions = {
    level: options.level,
    messageKey: "message",
    // pino's own `,"time":"<ISO 8601 UTC>"` fragment: RFC 3339, milliseconds.
    timestamp: pino.stdTimeFunctions.isoTime,
    base: null,
    formatters: {
      level: (label) => ({ severity: SEVERITY[label as keyof typeof SEVERITY] ?? "DEFAULT" }),
      log: (entry) => {
        // Error Reporting reads a stack from `stack_trace`; `err` keeps pino's {type, message, stack}.
        const err = entry.err;
        if (err instanceof Error && err.stack) return { ...entry, stack_trace: err.stack, serviceContext };
        return entry;
      },
    },
    // A fresh object each line: pino merges the line's own fields into it.
    mixin: () => {
      const trace = options.trace();
      if (!trace) return {};
      return trace.sampled
        ? { [TRACE_KEY]: traces + trace.traceId, [SPAN_KEY]: trace.spanId, [SAMPLED_KEY]: true }
        : { [TRACE_KEY]: traces + trace.traceId, [SPAN_KEY]: trace.spanId };
    },
    ...(options.redact ? { redact: options.redact } : {}),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

type ConsoleMethod = "log" | "info" | "debug" | "warn" | "error";
const CONSOLE_LEVELS: Record<ConsoleMethod, "info" | "debug" | "warn" | "error"> = { log: "info", info: "info", debug: "debug", warn: "warn", error: "error" };

/**
 * Sends console.* through the logger, one structured line each: what libraries print (google-auth-library's
 * deprecation notes) and functions-framework's report of a crash would otherwise be plain text Cloud
 * Logging files without a severity. A stack in the message is still found by Error Reporting.
 */
export function routeConsole(log: Record<"debug" | "info" | "warn" | "error", (message: string) => void>, target: Pick<Console, ConsoleMethod> = console): void {
  for (const method of Object.keys(CONSOLE_LEVELS) as ConsoleMethod[]) {
    const level = CONSOLE_LEVELS[method];
    target[method] = (...args: unknown[]) => log[level](format(...args));
  }
}
