// The user system's webhook (NOTIFY_WEBHOOK_URL), signed with NOTIFY_WEBHOOK_SECRET
// (X-Signature: t=…,v1=…, see signature.ts). The event type and the delivery id
// are in the signed body; X-Event and X-Delivery-Id repeat them for routing only.
// Callbacks (callback-sender.ts) are signed with a different secret.
import { NonRetryableError } from "../../core/errors.ts";
import type { Notifier, NotificationDelivery } from "../../tasks/notifications/ports.ts";
import { postJson } from "./deliver.ts";
import { directSend } from "./direct-send.ts";
import { signatureHeader } from "./signature.ts";

export class WebhookNotifier implements Notifier {
  readonly #options: { url: string | undefined; secret: string | undefined; timeoutMs: number };

  constructor(options: { url: string | undefined; secret: string | undefined; timeoutMs: number }) {
    this.#options = options;
  }

  async send(event: string, body: Record<string, unknown>, delivery: NotificationDelivery): Promise<{ status: number }> {
    const { url, secret, timeoutMs } = this.#options;
    if (!url) throw new NonRetryableError("NOTIFY_WEBHOOK_URL is not configured");
    if (!secret) throw new NonRetryableError("NOTIFY_WEBHOOK_SECRET is not configured; notifications are always signed");
    const rawBody = JSON.stringify({ event, delivery_id: delivery.id, sent_at: new Date().toISOString(), data: body });
    return postJson({
      what: "webhook", url, rawBody, timeoutMs, send: directSend,
      headers: { "X-Event": event, "X-Delivery-Id": delivery.id, "X-Signature": signatureHeader(secret, rawBody) },
      ...(delivery.signal ? { signal: delivery.signal } : {}),
    });
  }
}
