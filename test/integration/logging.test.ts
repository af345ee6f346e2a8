// Logs Cloud Logging reads, end to end: a submit with a W3C traceparent, the
// api's request line and the worker's outcome lines (a retry, then the next step
// of a chain a worker submitted) all under that trace; every line structured.
import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";
import { readFunctionLog, type FunctionLine } from "../helpers/function-log.ts";

const stack = inject("stack");
const api = apiClient(stack.apiUrl, stack.apiKey);
const SEVERITIES = ["DEFAULT", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL", "ALERT", "EMERGENCY"];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const newTrace = () => ({ traceId: randomBytes(16).toString("hex"), spanId: randomBytes(8).toString("hex") });
const inTrace = (lines: FunctionLine[], traceId: string) =>
  lines.filter((l) => l.entry?.["logging.googleapis.com/trace"] === `projects/local/traces/${traceId}`);
const entries = (lines: FunctionLine[], source: string, message: string) =>
  lines.filter((l) => l.source === source && l.entry?.message === message).map((l) => l.entry!);

describe("logs", () => {
  it("follows one trace from the submit through a retry in the worker, each line structured", async () => {
    const trace = newTrace();
    const submitted = await api.submit("testing.flaky", { failures: 1 }, {}, { traceparent: `00-${trace.traceId}-${trace.spanId}-01` });
    expect(submitted.status).toBe(202);
    const id = submitted.body.task_id;
    await api.waitFor(id, "SUCCESS");

    const lines = await eventually(async () => {
      const found = inTrace(await readFunctionLog(stack.functionLog), trace.traceId);
      expect(entries(found, "worker", "task outcome").map((e) => e.status)).toEqual(["RETRY", "SUCCESS"]);
      return found;
    });
    const [request] = entries(lines, "api", "request");
    expect(request).toMatchObject({ severity: "INFO", method: "POST", route: "/v1/tasks", status: 202, tenant: "dev", taskId: id });
    expect(request!.latencyMs).toEqual(expect.any(Number));
    // The api's span is the caller's; the worker's lines name the trace under the span the Cloud Task carried.
    expect(request!["logging.googleapis.com/spanId"]).toBe(trace.spanId);
    expect(request!["logging.googleapis.com/trace_sampled"]).toBe(true);
    for (const outcome of entries(lines, "worker", "task outcome")) {
      expect(outcome).toMatchObject({ severity: "INFO", taskId: id, type: "testing.flaky", tenant: "dev" });
      expect(outcome.durationMs).toEqual(expect.any(Number));
      expect(outcome["logging.googleapis.com/spanId"]).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(entries(lines, "worker", "task outcome").map((e) => e.attempt)).toEqual([1, 2]);
    expect(entries(lines, "worker", "task outcome")[0]).toMatchObject({ errorType: "Error" });
  });

  it("carries the trace into the tasks a worker submits (a chain's next step), and starts one when the caller sent none", async () => {
    const trace = newTrace();
    const submitted = await api.call<{ group_id: string }>("POST", "/v1/groups", {
      kind: "chain", tasks: [{ type: "testing.add", payload: { value: 1, add: 2 } }, { type: "testing.add", payload: { add: 3 } }],
    }, { "X-Cloud-Trace-Context": `${trace.traceId}/1;o=1` });
    expect(submitted.status).toBe(202);
    const members = await eventually(async () => {
      const group = await api.call<{ state: string; members: { task_id: string }[] }>("GET", `/v1/groups/${submitted.body.group_id}`);
      expect(group.body.state).toBe("SUCCESS");
      return group.body.members.map((m) => m.task_id);
    }, { timeoutMs: 30_000, intervalMs: 100 });
    expect(members).toHaveLength(2);
    await eventually(async () => {
      const lines = inTrace(await readFunctionLog(stack.functionLog), trace.traceId);
      expect(entries(lines, "api", "request")).toEqual([expect.objectContaining({ route: "/v1/groups", status: 202, "logging.googleapis.com/spanId": "0000000000000001" })]);
      expect(entries(lines, "worker", "task outcome").map((e) => [e.taskId, e.status])).toEqual(members.map((member) => [member, "SUCCESS"]));
    });

    // No trace header: the api starts a trace, and the worker's line joins it.
    const plain = await api.submit("testing.noop", {});
    await api.waitFor(plain.body.task_id, "SUCCESS");
    await eventually(async () => {
      const lines = await readFunctionLog(stack.functionLog);
      const request = lines.find((l) => l.source === "api" && l.entry?.message === "request" && l.entry.taskId === plain.body.task_id && l.entry.route === "/v1/tasks");
      const outcome = lines.find((l) => l.source === "worker" && l.entry?.message === "task outcome" && l.entry.taskId === plain.body.task_id);
      expect(request?.entry?.["logging.googleapis.com/trace"]).toMatch(/^projects\/local\/traces\/[0-9a-f]{32}$/);
      expect(outcome?.entry?.["logging.googleapis.com/trace"]).toBe(request?.entry?.["logging.googleapis.com/trace"]);
    });
  });

  it("names the route's pattern, not the path, and every line the functions wrote is a structured entry", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await api.status(missing)).status).toBe(404);
    await eventually(async () => {
      const lines = await readFunctionLog(stack.functionLog);
      expect(lines.find((l) => l.entry?.message === "request" && l.entry.taskId === missing)?.entry).toMatchObject({ route: "/v1/tasks/{id}", status: 404, method: "GET" });
    });
    const lines = await readFunctionLog(stack.functionLog);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.entry, `${line.source}: ${line.raw.slice(0, 300)}`).not.toBeNull();
      expect(SEVERITIES, line.raw.slice(0, 300)).toContain(line.entry!.severity);
      expect(line.entry!.time, line.raw.slice(0, 300)).toMatch(RFC3339);
      expect(typeof line.entry!.message, line.raw.slice(0, 300)).toBe("string");
    }
  });
});
