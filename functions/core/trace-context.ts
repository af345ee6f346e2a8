// What one api request or worker delivery carries through its async calls: the
// trace it belongs to (so every log line and every Cloud Task it creates names
// it) and the task it is about. One AsyncLocalStorage, set where a request or a
// delivery comes in; nothing is formatted until a line is written.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

export interface TraceContext {
  /** 32 lowercase hex digits (W3C trace-id; Cloud Trace's TRACE_ID). */
  traceId: string;
  /** 16 lowercase hex digits: the span this request or delivery runs in. */
  spanId: string;
  sampled: boolean;
}

export interface RequestScope {
  trace: TraceContext;
  /** The task a request is about (the first one it submitted or named), for its request line. */
  taskId?: string;
}

const scopes = new AsyncLocalStorage<RequestScope>();

export function runInScope<T>(scope: RequestScope, run: () => T): T {
  return scopes.run(scope, run);
}

export function currentScope(): RequestScope | undefined {
  return scopes.getStore();
}

/** Names the task the current request is about, unless it named one already. */
export function noteTask(taskId: string): void {
  const scope = scopes.getStore();
  if (scope && scope.taskId === undefined) scope.taskId = taskId;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
// TRACE_ID/SPAN_ID;o=OPTIONS, the span id in decimal (Google's own header, still sent by some callers).
const CLOUD_TRACE = /^([0-9a-fA-F]{32})(?:\/(\d{1,20}))?(?:;o=([01]))?$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

/**
 * The trace of an incoming request: W3C `traceparent` first, then `X-Cloud-Trace-Context`; a new trace when
 * neither is there or valid. The span id is the caller's (on Cloud Run, the platform's span for this request).
 */
export function traceFromHeaders(header: (name: string) => string | undefined): TraceContext {
  return parseTraceparent(header("traceparent")) ?? parseCloudTraceContext(header("x-cloud-trace-context")) ?? newTrace();
}

export function parseTraceparent(value: string | undefined): TraceContext | undefined {
  const m = value ? TRACEPARENT.exec(value.trim()) : null;
  // Version ff is forbidden; an all-zero id is invalid (W3C Trace Context, 3.2.2).
  if (!m || m[1] === "ff" || m[2] === ZERO_TRACE || m[3] === ZERO_SPAN) return undefined;
  if (m[1] === "00" && m[5] !== undefined) return undefined;
  return { traceId: m[2]!, spanId: m[3]!, sampled: (parseInt(m[4]!, 16) & 1) === 1 };
}

export function parseCloudTraceContext(value: string | undefined): TraceContext | undefined {
  const m = value ? CLOUD_TRACE.exec(value.trim()) : null;
  if (!m || m[1]!.toLowerCase() === ZERO_TRACE) return undefined;
  const span = m[2] ? BigInt(m[2]) : 0n;
  const spanId = span > 0n && span < 2n ** 64n ? span.toString(16).padStart(16, "0") : newSpanId();
  return { traceId: m[1]!.toLowerCase(), spanId, sampled: m[3] === "1" };
}

export function newTrace(): TraceContext {
  return { traceId: randomBytes(16).toString("hex"), spanId: newSpanId(), sampled: false };
}

const newSpanId = () => randomBytes(8).toString("hex");

/** The W3C header that carries a trace to the next hop (a Cloud Task's delivery). */
export function traceparentOf(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.sampled ? "01" : "00"}`;
}
