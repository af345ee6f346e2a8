// The port that judges a URL a caller gave before the platform promises to call
// it (callback_url at submit; media URLs have RemoteFiles.check). Whoever
// implements it keeps requests off non-public addresses unless an operator
// allow-listed the origin; delivery checks again, so a DNS answer that changes
// between submit and delivery (rebinding) is refused then too.
import { SubmissionError } from "./errors.ts";

export type UrlVerdict = { allowed: true } | { allowed: false; reason: string };

export interface OutboundUrlPolicy {
  /** Scheme, credentials, allow-list, and every address the host resolves to. Throws DependencyError when DNS stalls. */
  check(url: string): Promise<UrlVerdict>;
}

/** Refuses (400, naming the field) a callback_url the platform would not deliver to; no policy means none is accepted. */
export async function vetCallbackUrl(policy: OutboundUrlPolicy | undefined, url: string): Promise<void> {
  const verdict: UrlVerdict = policy ? await policy.check(url) : { allowed: false, reason: "callbacks are not configured here" };
  if (!verdict.allowed) {
    const message = `will not be called: ${verdict.reason}`;
    throw new SubmissionError("invalid_callback_url", `callback_url: ${message}`, { fields: [{ path: "callback_url", message }] });
  }
}
