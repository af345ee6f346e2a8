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

/** CallbackSender: the same signed POST, to the URL a submit named. */
export class SignedCallbackSender {
  readonly #options: { secret: string | undefined; timeoutMs: number };

  constructor(options: { secret: string | undefined; timeoutMs: number }) {
    this.#options = options;
  }

  post(url: string, body: unknown, signal?: AbortSignal): Promise<{ status: number }> {
    if (!this.#options.secret) throw new NonRetryableError("CALLBACK_SECRET (or NOTIFY_WEBHOOK_SECRET) is not configured; callbacks are always signed");
    const event = body as { type?: string; event_id?: string };
    // X-Delivery-Id: one per outcome, the same on every retry; the receiver de-duplicates on it.
    const headers = { "X-Event": String(event.type ?? "task"), ...(event.event_id ? { "X-Delivery-Id": String(event.event_id) } : {}) };
    return postSigned({ url, secret: this.#options.secret, body, headers, timeoutMs: this.#options.timeoutMs, ...(signal ? { signal } : {}) });
  }
}
