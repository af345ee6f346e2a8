// OIDC tokens for task attempts. Signing RSA costs about a millisecond, so a
// token is reused for a few minutes per (audience, service account), as Google
// itself hands out tokens that live an hour.
import type { OidcSigner } from "../oidc.ts";

const REUSE_MS = 5 * 60_000;
const MAX_CACHED = 1000;

export class IdTokenCache {
  private readonly signer: OidcSigner;
  private readonly cache = new Map<string, { token: string; issuedMs: number }>();

  constructor(signer: OidcSigner) {
    this.signer = signer;
  }

  bearer(audience: string, email: string, nowMs: number): string {
    const key = `${audience}\n${email}`;
    const cached = this.cache.get(key);
    if (cached && nowMs - cached.issuedMs < REUSE_MS) return `Bearer ${cached.token}`;
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    const token = this.signer.sign({ audience, email });
    this.cache.set(key, { token, issuedMs: nowMs });
    return `Bearer ${token}`;
  }
}
