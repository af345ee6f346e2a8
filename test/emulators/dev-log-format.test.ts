// npm run dev's lines: a function's JSON entry read back as one line of text,
// escape codes only when colour is on.
import { describe, expect, it } from "vitest";
import { formatLine, wantsColour } from "../../emulators/dev-log-format.ts";

const entry = JSON.stringify({
  severity: "ERROR", time: "2026-01-02T03:04:05.678Z", message: "failed", taskId: "t1",
  "logging.googleapis.com/trace": "projects/local/traces/4bf92f3577b34da6a3ce929d0e0e4736", "logging.googleapis.com/spanId": "00f067aa0ba902b7",
  err: { type: "Error", message: "boom", stack: "Error: boom\n    at x" }, stack_trace: "Error: boom\n    at x",
});

describe("dev log format", () => {
  it("reads a Cloud Logging entry as time, source, severity, message, fields and the stack below", () => {
    expect(formatLine("worker", entry, false)).toBe("03:04:05.678 worker      ERROR   failed taskId=t1 trace=4bf92f35\n    Error: boom\n        at x");
  });

  it("colours only when asked, and strips escapes from other lines when not", () => {
    expect(formatLine("worker", entry, true)).toContain("\x1b[");
    expect(formatLine("postgres", "\x1b[31mred\x1b[0m text", false)).toBe("postgres    red text");
  });

  it("colours a terminal unless NO_COLOR is set, and never a pipe", () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
    expect(wantsColour({}, {})).toBe(false);
  });
});
