// POSTs signed JSON and turns the answer into the task runtime's control flow:
// 2xx done; 429 retry after its Retry-After; other 4xx final; 5xx, timeouts and
// network errors retried with backoff.
import { NonRetryableError } from "../../core/non-retryable-error.ts";
import { RetryAfterError } from "../../core/retry-after-error.ts";
import { signatureHeader } from "./signature.ts";

export interface SignedPost {
  url: string;
  secret: string;
  body: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

export async function postSigned(post: SignedPost): Promise<{ status: number }> {
  const raw = JSON.stringify(post.body);
  const signals = [AbortSignal.timeout(post.timeoutMs), ...(post.signal ? [post.signal] : [])];
  let response: Response;
  try {
    response = await fetch(post.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "cloud-tasks-platform", ...post.headers, "X-Signature": signatureHeader(post.secret, raw) },
      body: raw,
      signal: AbortSignal.any(signals),
      redirect: "manual",
    });
  } catch (error) {
    if (post.signal?.aborted) throw post.signal.reason;
    throw new Error(`webhook ${new URL(post.url).host} unreachable: ${(error as Error).message}`);
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.ok) return { status: response.status };
  if (response.status === 429 || response.status === 503) {
    const retryAfter = Number(response.headers.get("retry-after"));
    if (Number.isFinite(retryAfter) && retryAfter > 0) throw new RetryAfterError(`webhook answered ${response.status}`, retryAfter);
  }
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
    throw new NonRetryableError(`webhook refused the notification with ${response.status}`);
  }
  throw new Error(`webhook answered ${response.status}`);
}
