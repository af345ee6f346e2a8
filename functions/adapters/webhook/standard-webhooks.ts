// Callback signatures in the Standard Webhooks format (standardwebhooks.com):
// webhook-id, webhook-timestamp and webhook-signature: "v1,<base64 HMAC-SHA256 of
// "<id>.<timestamp>.<raw body>">", the key being the base64 after "whsec_" in the
// secret. The id is the delivery's, the same on every retry, so receivers can
// drop duplicates; the timestamp is the attempt's, so they can refuse replays.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SECRET_PREFIX = "whsec_";

export interface StandardWebhookHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error(`a Standard Webhooks secret starts with ${SECRET_PREFIX}`);
  return Buffer.from(secret.slice(SECRET_PREFIX.length), "base64");
}

const mac = (secret: string, id: string, timestamp: number, rawBody: string) =>
  createHmac("sha256", keyOf(secret)).update(`${id}.${timestamp}.${rawBody}`).digest();

export function standardWebhookHeaders(secret: string, id: string, rawBody: string, unixSeconds = Math.floor(Date.now() / 1000)): StandardWebhookHeaders {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(unixSeconds),
    "webhook-signature": `v1,${mac(secret, id, unixSeconds, rawBody).toString("base64")}`,
  };
}

/** What a receiver does: one of the space-separated v1 signatures matches, and the timestamp is recent. */
export function verifyStandardWebhook(
  secret: string, headers: Record<string, string | string[] | undefined>, rawBody: string, toleranceSeconds = 300, nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const one = (name: string) => { const v = headers[name]; return Array.isArray(v) ? v[0] : v; };
  const id = one("webhook-id");
  const timestamp = Number(one("webhook-timestamp"));
  const signatures = one("webhook-signature");
  if (!id || !signatures || !Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = mac(secret, id, timestamp, rawBody);
  return signatures.split(" ").some((entry) => {
    const [version, value] = entry.split(",", 2);
    if (version !== "v1" || !value) return false;
    const given = Buffer.from(value, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
