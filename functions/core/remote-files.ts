// The port for fetching user-supplied URLs: whoever implements it must keep
// requests off private networks (SSRF), whatever the URL or its redirects say.

export type UrlVerdict = { allowed: true } | { allowed: false; reason: string };

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

export interface RemoteFiles {
  /** Whether a URL may be fetched: scheme, host allow-list, every address its host resolves to. */
  check(url: string): Promise<UrlVerdict>;
  /**
   * GETs a URL, re-checking every redirect hop. NonRetryableError for a refused
   * address, too many redirects, a 4xx, a wrong type or a body over maxBytes;
   * RetryAfterError for a 429; any other error (5xx, timeout) may be retried.
   */
  download(url: string, options: DownloadOptions): Promise<Download>;
}
