// RemoteFiles behind the outbound guard: every hop goes through OutboundGuard
// (resolved, judged, pinned), redirects are followed by hand and re-checked, and
// the body is size-capped while it streams.
import { NonRetryableError, RetryAfterError } from "../../core/errors.ts";
import type { Download, DownloadOptions, RemoteFiles, UrlVerdict } from "../../tasks/media/remote-files.ts";
import { OutboundGuard, RefusedUrl, display, parseUrl, type HopResponse, type OutboundGuardOptions } from "./outbound-guard.ts";
import { retryAfterSeconds } from "./retry-after.ts";

export type { HopResponse, ResolvedAddress, Transport } from "./outbound-guard.ts";

export interface GuardedRemoteFilesOptions extends OutboundGuardOptions {
  /** The guard every hop goes through; default one built from the other options. */
  guard?: OutboundGuard;
  /** Redirects followed at most. Default 3. */
  maxRedirects?: number;
  /** Whole download, all hops. Default 20,000 ms. */
  timeoutMs?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class GuardedRemoteFiles implements RemoteFiles {
  readonly #guard: OutboundGuard;
  readonly #maxRedirects: number;
  readonly #timeoutMs: number;

  constructor(options: GuardedRemoteFilesOptions = {}) {
    this.#guard = options.guard ?? new OutboundGuard(options);
    this.#maxRedirects = options.maxRedirects ?? 3;
    this.#timeoutMs = options.timeoutMs ?? 20_000;
  }

  check(url: string): Promise<UrlVerdict> {
    return this.#guard.check(url);
  }

  async download(url: string, options: DownloadOptions): Promise<Download> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const accept = options.accept.map((t) => t.toLowerCase());
    let current: URL;
    try {
      current = parseUrl(url);
    } catch (error) {
      throw new NonRetryableError((error as Error).message);
    }
    const aborted = (error: unknown): unknown => {
      if (options.signal?.aborted) return options.signal.reason;
      if (timeout.aborted) return new Error(`fetching ${display(current)} timed out after ${this.#timeoutMs} ms`);
      return error;
    };
    for (let hop = 0; ; hop += 1) {
      let response: HopResponse;
      try {
        response = await this.#guard.send(current, { method: "GET", signal, headers: { Accept: accept.join(", "), "User-Agent": "cloud-tasks-platform" } });
      } catch (error) {
        if (error instanceof RefusedUrl) throw new NonRetryableError(`refused to fetch ${display(current)}: ${error.message}`);
        throw aborted(error);
      }
      const location = response.header("location");
      if (REDIRECTS.has(response.status) && location) {
        response.discard();
        if (hop >= this.#maxRedirects) throw new NonRetryableError(`${display(current)}: more than ${this.#maxRedirects} redirects`);
        try {
          current = new URL(location, current);
        } catch {
          throw new NonRetryableError(`${display(current)} redirected to an invalid URL`);
        }
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        response.discard();
        if (response.status === 429) {
          throw new RetryAfterError(`${display(current)} answered 429`, retryAfterSeconds(response.header("retry-after"), 5));
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 408) {
          throw new NonRetryableError(`${display(current)} answered ${response.status}`);
        }
        throw new Error(`${display(current)} answered ${response.status}`);
      }
      const contentType = (response.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (!accept.includes(contentType)) {
        response.discard();
        throw new NonRetryableError(`${display(current)} is ${contentType || "of no content type"}; expected ${accept.join(", ")}`);
      }
      const declared = Number(response.header("content-length"));
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        response.discard();
        throw new NonRetryableError(`${display(current)} is ${declared} bytes; the limit is ${options.maxBytes}`);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      try {
        for await (const chunk of response.body) {
          total += chunk.length;
          if (total > options.maxBytes) {
            response.discard();
            throw new NonRetryableError(`${display(current)} is larger than the limit of ${options.maxBytes} bytes`);
          }
          chunks.push(Buffer.from(chunk));
        }
      } catch (error) {
        if (error instanceof NonRetryableError) throw error;
        throw aborted(error);
      }
      return { data: Buffer.concat(chunks), contentType, finalUrl: current.toString() };
    }
  }
}
