// The OIDC side of the emulators: signs RS256 ID tokens the way Google does for
// Cloud Tasks and Cloud Scheduler, and serves the public keys in the format
// google-auth-library reads (kid -> PEM), so the worker verifies them unchanged.
import { createHash, createSign, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";

const GOOGLE_ISSUER = "https://accounts.google.com";

export interface OidcSigner {
  kid: string;
  /** Body for GET of the certs URL: {kid: PEM public key}. */
  certsJson(): string;
  sign(claims: { audience: string; email: string; lifetimeSeconds?: number }): string;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/**
 * A service account's unique id as Google gives it: 21 decimal digits, stable per account (derived
 * from the email here). Google's ID tokens carry it in `sub` and `azp`; the email is in `email` only,
 * so a verifier comparing `sub` with an email fails on Google as it does here.
 */
export function serviceAccountUniqueId(email: string): string {
  return `1${(BigInt(`0x${createHash("sha256").update(email).digest("hex").slice(0, 16)}`) % 10n ** 20n).toString().padStart(20, "0")}`;
}

export function createOidcSigner(): OidcSigner {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID().replaceAll("-", "");
  const pem = (publicKey as KeyObject).export({ type: "spki", format: "pem" }).toString();
  return {
    kid,
    certsJson: () => JSON.stringify({ [kid]: pem }),
    sign({ audience, email, lifetimeSeconds = 3600 }) {
      const now = Math.floor(Date.now() / 1000);
      const header = b64url(JSON.stringify({ alg: "RS256", kid, typ: "JWT" }));
      const payload = b64url(
        JSON.stringify({
          iss: GOOGLE_ISSUER,
          aud: audience,
          azp: serviceAccountUniqueId(email),
          sub: serviceAccountUniqueId(email),
          email,
          email_verified: true,
          iat: now,
          exp: now + lifetimeSeconds,
        }),
      );
      const signer = createSign("RSA-SHA256");
      signer.update(`${header}.${payload}`);
      return `${header}.${payload}.${b64url(signer.sign(privateKey))}`;
    },
  };
}
