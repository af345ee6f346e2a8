// POSTs signed JSON and turns the answer into the task runtime's control flow:
// 2xx done; 429/503 with Retry-After retried then; redirects and other 4xx final;
// 5xx, timeouts and network errors retried with backoff. How the request leaves
// is the caller's choice: callbacks through the outbound guard, notifications to
// the operator's own URL directly. Errors name the host, never credentials or query.
import { NonRetryableError, RetryAfterError } from "../../core/errors.ts";
import { RefusedUrl, display, type HopResponse, type OutboundRequest } from "../remote-files/outbound-guard.ts";

/** Sends one request; never follows a redirect. */
export type Send = (url: URL, request: OutboundRequest) => Promise<HopResponse>;

export interface JsonPost {
  /** Names the receiver in errors: "webhook", "callback". */
  what: string;
  url: string;
  rawBody: string;
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  send: Send;
}

export async function postJson(post: JsonPost): Promise<{ status: number }> {
  let url: URL;
  try {
    url = new URL(post.url);
  } catch {
    throw new NonRetryableError(`${post.what} URL is not a valid URL`);
  }
  const signals = [AbortSignal.timeout(post.timeoutMs), ...(post.signal ? [post.signal] : [])];
  let response: HopResponse;
  try {
    response = await post.send(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "cloud-tasks-platform", ...post.headers },
      body: post.rawBody,
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    if (post.signal?.aborted) throw post.signal.reason;
    if (error instanceof RefusedUrl) throw new NonRetryableError(`${post.what} to ${display(url)} refused: ${error.message}`);
    if (error instanceof Error && error.name === "DependencyError") throw error;
    // The low-level reason stays out: it would tell a caller how a port answered.
    throw new Error(`${post.what} ${display(url)} unreachable`);
  }
  response.discard();
  const { status } = response;
  if (status >= 200 && status < 300) return { status };
  if (status === 429 || status === 503) {
    const retryAfter = Number(response.header("retry-after"));
    if (Number.isFinite(retryAfter) && retryAfter > 0) throw new RetryAfterError(`${post.what} answered ${status}`, retryAfter);
  }
  if (status >= 300 && status < 400) throw new NonRetryableError(`${post.what} answered ${status}; redirects are not followed`);
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    throw new NonRetryableError(`${post.what} refused the delivery with ${status}`);
  }
  throw new Error(`${post.what} answered ${status}`);
}
