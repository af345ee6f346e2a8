// Verifies the OIDC token Cloud Tasks (or Cloud Scheduler) attaches: signature
// against Google's keys (or an emulator's), audience, and the service account.
import type { OAuth2Client } from "google-auth-library";

export interface OidcVerifier {
  /** Resolves to the token's email, or rejects with the reason. */
  verify(authorization: string | undefined): Promise<string>;
}

/** Verified tokens kept at most; past it, the expired go, and if none had, all of them. */
const MAX_VERIFIED = 1000;

/**
 * `audience`: one, or any of several (the platform's workers). A token that passed every check (signature,
 * audience, issuer, expiry, verified email, the service account) is remembered by its exact text until its `exp`:
 * Cloud Tasks attaches the same token to its deliveries for a while, and checking the RSA signature again costs
 * about as much CPU as the rest of a no-op delivery. A token that failed is never remembered.
 */
export function createOidcVerifier(options: { audience: string | string[]; serviceAccountEmail?: string; certsUrl?: string }): OidcVerifier {
  const verified = new Map<string, { email: string; expiresAtMs: number }>();
  // Imported on first use (the api only verifies on schedule triggers), and the
  // keys fetched once for a burst of first deliveries, not once per delivery.
  let ready: Promise<OAuth2Client> | null = null;
  const clientReady = () =>
    (ready ??= import("google-auth-library").then(async ({ OAuth2Client }) => {
      const client = new OAuth2Client(options.certsUrl ? { endpoints: { oauth2FederatedSignonPemCertsUrl: options.certsUrl } } : {});
      await client.getFederatedSignonCertsAsync();
      return client;
    }).catch((error: unknown) => {
      ready = null;
      throw error;
    }));
  return {
    async verify(authorization) {
      const token = authorization?.startsWith("Bearer ") ? authorization.slice(7) : undefined;
      if (!token) throw new Error("missing bearer token");
      const known = verified.get(token);
      if (known && Date.now() < known.expiresAtMs) return known.email;
      const client = await clientReady();
      const ticket = await client.verifyIdToken({ idToken: token, audience: options.audience }).catch((error: Error) => {
        throw new Error(`${error.message} (token audience ${unverifiedAudience(token)}, expected ${options.audience})`);
      });
      const payload = ticket.getPayload();
      if (!payload?.email || payload.email_verified === false) throw new Error("the token carries no verified email");
      if (options.serviceAccountEmail && payload.email !== options.serviceAccountEmail) {
        throw new Error(`the token is for ${payload.email}, not ${options.serviceAccountEmail}`);
      }
      remember(token, payload.email, payload.exp * 1000);
      return payload.email;
    },
  };

  function remember(token: string, email: string, expiresAtMs: number): void {
    if (verified.size >= MAX_VERIFIED) {
      for (const [key, entry] of verified) if (entry.expiresAtMs <= Date.now()) verified.delete(key);
      if (verified.size >= MAX_VERIFIED) verified.clear();
    }
    verified.set(token, { email, expiresAtMs });
  }
}

/** The audience a token claims, read without verifying it: only for the error message. */
function unverifiedAudience(token: string): string {
  try {
    return String(JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")).aud);
  } catch {
    return "unreadable";
  }
}
