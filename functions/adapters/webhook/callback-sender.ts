// CallbackSender: a task's outcome POSTed to the callback_url its submit named,
// through the outbound guard (the URL is a caller's: checked again here, since
// DNS may answer differently than at submit), signed the Standard Webhooks way
// with the tenant's own secret, derived from CALLBACK_SIGNING_KEY.
import { NonRetryableError } from "../../core/errors.ts";
import type { CallbackDelivery, CallbackSender } from "../../core/ports.ts";
import type { OutboundGuard } from "../remote-files/outbound-guard.ts";
import { callbackSecretFor } from "./callback-secret.ts";
import { postJson } from "./deliver.ts";
import { standardWebhookHeaders } from "./standard-webhooks.ts";

export interface SignedCallbackSenderOptions {
  signingKey: string | undefined;
  guard: OutboundGuard;
  timeoutMs: number;
}

export class SignedCallbackSender implements CallbackSender {
  readonly #options: SignedCallbackSenderOptions;

  constructor(options: SignedCallbackSenderOptions) {
    this.#options = options;
  }

  async post(delivery: CallbackDelivery, signal?: AbortSignal): Promise<{ status: number }> {
    const { signingKey, guard, timeoutMs } = this.#options;
    if (!signingKey) throw new NonRetryableError("CALLBACK_SIGNING_KEY is not configured; callbacks are always signed, with a key of their own");
    const rawBody = JSON.stringify(delivery.body);
    const headers = standardWebhookHeaders(callbackSecretFor(signingKey, delivery.tenant), delivery.id, rawBody);
    return postJson({
      what: "callback", url: delivery.url, rawBody, timeoutMs, send: (url, request) => guard.send(url, request),
      headers: { ...headers }, ...(signal ? { signal } : {}),
    });
  }
}
