// Notifier: the user system's webhook (NOTIFY_WEBHOOK_URL), signed with NOTIFY_WEBHOOK_SECRET.
import { NonRetryableError } from "../../core/non-retryable-error.ts";
import type { Notifier } from "../../core/ports.ts";
import { postSigned } from "./deliver.ts";

export class WebhookNotifier implements Notifier {
  readonly #options: { url: string | undefined; secret: string | undefined; timeoutMs: number };

  constructor(options: { url: string | undefined; secret: string | undefined; timeoutMs: number }) {
    this.#options = options;
  }

  async send(event: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<{ status: number }> {
    const { url, secret, timeoutMs } = this.#options;
    if (!url) throw new NonRetryableError("NOTIFY_WEBHOOK_URL is not configured");
    if (!secret) throw new NonRetryableError("NOTIFY_WEBHOOK_SECRET is not configured; notifications are always signed");
    return postSigned({ url, secret, body: { event, sent_at: new Date().toISOString(), data: body }, headers: { "X-Event": event }, timeoutMs, ...(signal ? { signal } : {}) });
  }
}
