// The lines Cloud Logging reads as structured entries: severity, message, an RFC 3339
// time, the trace and span of the running request, a stack Error Reporting finds.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { cloudLogger, routeConsole, SPAN_KEY, TRACE_KEY } from "./cloud-logging.ts";
import { runInScope, type TraceContext } from "../../core/trace-context.ts";
import { currentScope } from "../../core/trace-context.ts";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function capture(level = "info", trace: () => TraceContext | undefined = () => currentScope()?.trace) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const log = cloudLogger({ level, project: "proj", service: "tasks", version: "r1", trace, destination, redact: ["headers.authorization"] });
  return { log, lines };
}

const trace: TraceContext = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", sampled: true };

describe("cloudLogger", () => {
  it("writes severity, message and an RFC 3339 time, and no pino level number", () => {
    const { log, lines } = capture("debug");
    log.debug("d");
    log.info({ a: 1 }, "i");
    log.warn("w");
    log.error("e");
    log.fatal("f");
    expect(lines.map((l) => l.severity)).toEqual(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]);
    expect(lines.map((l) => l.message)).toEqual(["d", "i", "w", "e", "f"]);
    for (const line of lines) {
      expect(line.time).toMatch(RFC3339);
      expect(Math.abs(Date.parse(line.time as string) - Date.now())).toBeLessThan(60_000);
      expect(line).not.toHaveProperty("level");
      expect(line).not.toHaveProperty("msg");
    }
    expect(lines[1]!.a).toBe(1);
  });

  it("names the running request's trace and span; none outside a request", () => {
    const { log, lines } = capture();
    runInScope({ trace }, () => log.info("inside"));
    log.info("outside");
    expect(lines[0]![TRACE_KEY]).toBe(`projects/proj/traces/${trace.traceId}`);
    expect(lines[0]![SPAN_KEY]).toBe(trace.spanId);
    expect(lines[0]!["logging.googleapis.com/trace_sampled"]).toBe(true);
    expect(lines[1]).not.toHaveProperty(TRACE_KEY);
  });

  it("keeps an error's stack in err and stack_trace, with the service Error Reporting groups by", () => {
    const { log, lines } = capture();
    log.error({ err: new TypeError("boom") }, "failed");
    expect(lines[0]!.err).toMatchObject({ type: "TypeError", message: "boom" });
    expect(lines[0]!.stack_trace).toMatch(/^TypeError: boom\n\s+at /);
    expect(lines[0]!.serviceContext).toEqual({ service: "tasks", version: "r1" });
  });

  it("reads nothing for a level it does not write, and redacts what it is told to", () => {
    let reads = 0;
    const { log, lines } = capture("info", () => (reads++, trace));
    log.debug({ costly: true }, "not written");
    expect(reads).toBe(0);
    log.info({ headers: { authorization: "Bearer secret" } }, "req");
    expect(reads).toBe(1);
    expect(JSON.stringify(lines)).not.toContain("secret");
  });
});

describe("routeConsole", () => {
  it("turns console output into structured lines at the matching severity", () => {
    const { log, lines } = capture("debug");
    const target = { log() {}, info() {}, debug() {}, warn() {}, error() {} } as Pick<Console, "log" | "info" | "debug" | "warn" | "error">;
    routeConsole(log, target);
    target.warn("The `credentials` option is deprecated %s", "(a library)");
    target.error("Error: boom\n    at x");
    target.log({ a: 1 });
    expect(lines.map((l) => [l.severity, l.message])).toEqual([
      ["WARNING", "The `credentials` option is deprecated (a library)"],
      ["ERROR", "Error: boom\n    at x"],
      ["INFO", "{ a: 1 }"],
    ]);
  });
});
