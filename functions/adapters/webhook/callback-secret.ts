// Each tenant's callback secret, derived from the deployment's CALLBACK_SIGNING_KEY:
// whsec_ + base64(HMAC-SHA256(key, "callback:" + tenant)). Nothing to store, one
// secret to rotate, and never the notification secret: a caller who chooses a
// callback's URL and content gets its own tenant's signature, which no user
// system trusts for notifications or for another tenant.
import { createHmac } from "node:crypto";
import { SECRET_PREFIX } from "./standard-webhooks.ts";

export function callbackSecretFor(signingKey: string, tenant: string): string {
  if (!signingKey) throw new Error("CALLBACK_SIGNING_KEY is empty");
  return SECRET_PREFIX + createHmac("sha256", signingKey).update(`callback:${tenant}`).digest("base64");
}
