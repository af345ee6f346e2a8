// The port for fetching user-supplied URLs: whoever implements it must keep
// requests off private networks (SSRF), whatever the URL or its redirects say.

import type { OutboundUrlPolicy, UrlVerdict } from "../../core/task-kit.ts";

export type { UrlVerdict } from "../../core/task-kit.ts";

export interface DownloadOptions {
  /** Bodies larger than this are refused (checked while streaming). */
  maxBytes: number;
  /** Accepted Content-Type values (media type only, no parameters). */
  accept: readonly string[];
  signal?: AbortSignal;
}

export interface Download {
  data: Buffer;
  contentType: string;
  /** After redirects. */
  finalUrl: string;
}

export interface RemoteFiles extends OutboundUrlPolicy {
  /** Whether a URL may be fetched: scheme, origin allow-list, every address its host resolves to. */
  check(url: string): Promise<UrlVerdict>;
  /**
   * GETs a URL, re-checking every redirect hop. NonRetryableError for a refused
   * address, too many redirects, a 4xx, a wrong type or a body over maxBytes;
   * RetryAfterError for a 429; any other error (5xx, timeout) may be retried.
   */
  download(url: string, options: DownloadOptions): Promise<Download>;
}
