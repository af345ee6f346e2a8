// Verifies the OIDC token Cloud Tasks (or Cloud Scheduler) attaches: signature
// against Google's keys (or an emulator's), audience, and the service account.
import type { OAuth2Client } from "google-auth-library";

export interface OidcVerifier {
  /** Resolves to the token's email, or rejects with the reason. */
  verify(authorization: string | undefined): Promise<string>;
}

/** `audience`: one, or any of several (the platform's workers). */
export function createOidcVerifier(options: { audience: string | string[]; serviceAccountEmail?: string; certsUrl?: string }): OidcVerifier {
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
      const client = await clientReady();
      const ticket = await client.verifyIdToken({ idToken: token, audience: options.audience }).catch((error: Error) => {
        throw new Error(`${error.message} (token audience ${unverifiedAudience(token)}, expected ${options.audience})`);
      });
      const payload = ticket.getPayload();
      if (!payload?.email || payload.email_verified === false) throw new Error("the token carries no verified email");
      if (options.serviceAccountEmail && payload.email !== options.serviceAccountEmail) {
        throw new Error(`the token is for ${payload.email}, not ${options.serviceAccountEmail}`);
      }
      return payload.email;
    },
  };
}

/** The audience a token claims, read without verifying it: only for the error message. */
function unverifiedAudience(token: string): string {
  try {
    return String(JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")).aud);
  } catch {
    return "unreadable";
  }
}
