// A request's trace: read from traceparent or X-Cloud-Trace-Context, or started;
// carried on every Cloud Task made inside the request.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTask } from "./define-task.ts";
import { defineQueue } from "./queues.ts";
import { createRegistry } from "./registry.ts";
import { cloudTaskFor } from "./submit.ts";
import { noteTask, currentScope, parseCloudTraceContext, parseTraceparent, runInScope, traceFromHeaders, traceparentOf, type RequestScope } from "./trace-context.ts";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

describe("trace context", () => {
  it("reads a W3C traceparent, and refuses malformed or all-zero ones", () => {
    expect(parseTraceparent(`00-${TRACE}-00f067aa0ba902b7-01`)).toEqual({ traceId: TRACE, spanId: "00f067aa0ba902b7", sampled: true });
    expect(parseTraceparent(`00-${TRACE}-00f067aa0ba902b7-00`)?.sampled).toBe(false);
    for (const bad of [`00-${"0".repeat(32)}-00f067aa0ba902b7-01`, `00-${TRACE}-${"0".repeat(16)}-01`, `ff-${TRACE}-00f067aa0ba902b7-01`, `00-${TRACE.toUpperCase()}-00f067aa0ba902b7-01`, "junk", `00-${TRACE}-00f067aa0ba902b7-01-extra`]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
  });

  it("reads X-Cloud-Trace-Context, its decimal span id as 16 hex digits", () => {
    expect(parseCloudTraceContext(`${TRACE}/1;o=1`)).toEqual({ traceId: TRACE, spanId: "0000000000000001", sampled: true });
    expect(parseCloudTraceContext(`${TRACE}/18446744073709551615`)).toEqual({ traceId: TRACE, spanId: "ffffffffffffffff", sampled: false });
    expect(parseCloudTraceContext(TRACE)?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(parseCloudTraceContext("nope/1")).toBeUndefined();
  });

  it("prefers traceparent, falls back to X-Cloud-Trace-Context, and starts a trace when neither is there", () => {
    const headers: Record<string, string> = { traceparent: `00-${TRACE}-00f067aa0ba902b7-01`, "x-cloud-trace-context": `${"a".repeat(32)}/5;o=1` };
    expect(traceFromHeaders((name) => headers[name]).traceId).toBe(TRACE);
    expect(traceFromHeaders((name) => (name === "traceparent" ? "garbage" : headers[name])).traceId).toBe("a".repeat(32));
    const started = traceFromHeaders(() => undefined);
    expect(started.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(started.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(traceFromHeaders(() => undefined).traceId).not.toBe(started.traceId);
  });

  it("puts the running request's trace on the Cloud Task it builds, and none outside a request", async () => {
    const registry = createRegistry({
      queues: [defineQueue({ name: "default" })],
      tasks: [defineTask({ name: "t.ok", queue: "default", input: z.object({}), output: z.object({}), handler: async () => ({}) })],
    });
    const task = { id: "id1", type: "t.ok", queue: "default", priority: "normal" as const, cloudTask: "id1" };
    const trace = { traceId: TRACE, spanId: "00f067aa0ba902b7", sampled: false };
    const inside = await runInScope({ trace }, async () => {
      await Promise.resolve();
      return cloudTaskFor(registry, task);
    });
    expect(inside.headers).toEqual({ traceparent: traceparentOf(trace) });
    expect(parseTraceparent(inside.headers!.traceparent)).toEqual(trace);
    expect(cloudTaskFor(registry, task).headers).toBeUndefined();
  });

  it("names the first task a request touched", () => {
    const scope: RequestScope = { trace: traceFromHeaders(() => undefined) };
    runInScope(scope, () => {
      noteTask("a");
      noteTask("b");
      expect(currentScope()?.taskId).toBe("a");
    });
    noteTask("outside");
    expect(scope.taskId).toBe("a");
  });
});
