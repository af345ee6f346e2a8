// One JSON request to an upstream HTTP API, its answer mapped to the task
// runtime's control flow: 2xx parsed; 429/503 with Retry-After retried then;
// other 4xx final (NonRetryableError); 5xx, timeouts and network errors retried.
import { NonRetryableError, RetryAfterError } from "../../core/errors.ts";

export interface JsonRequest {
  /** Names the upstream in errors, e.g. "ingest API". */
  upstream: string;
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Statuses answered with null instead of an error (e.g. 404 for a lookup). */
  nullOn?: number[];
}

export async function requestJson(request: JsonRequest): Promise<unknown> {
  const signals = [AbortSignal.timeout(request.timeoutMs), ...(request.signal ? [request.signal] : [])];
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: {
        Accept: "application/json",
        ...(request.body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...request.headers,
      },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    throw new Error(`${request.upstream} unreachable (${request.method} ${new URL(request.url).pathname}): ${(error as Error).message}`);
  }
  const text = await response.text().catch(() => "");
  if (request.nullOn?.includes(response.status)) return null;
  if (!response.ok) {
    const detail = text.slice(0, 300).replace(/\s+/g, " ");
    const message = `${request.upstream} answered ${response.status} to ${request.method} ${new URL(request.url).pathname}${detail ? `: ${detail}` : ""}`;
    if (response.status === 429 || response.status === 503) {
      const retryAfter = Number(response.headers.get("retry-after"));
      if (Number.isFinite(retryAfter) && retryAfter > 0) throw new RetryAfterError(message, retryAfter);
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw new NonRetryableError(message);
    throw new Error(message);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new NonRetryableError(`${request.upstream} sent a body that is not JSON (${request.method} ${new URL(request.url).pathname})`);
  }
}
