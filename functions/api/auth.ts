// API keys: only their SHA-256 is configured; a presented key is hashed and
// compared in constant time against every configured hash.
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ApiError } from "../http/json.ts";
import { TENANT_NAME } from "../core/task-record.ts";
import type { RateCharge } from "../core/rate-limit.ts";

export const Scope = ["read", "submit", "admin"] as const;
export type Scope = (typeof Scope)[number];

/** Tenants are named by operators; a leading "_" is the platform's own (SYSTEM_TENANT). */
const tenantName = z.string().regex(TENANT_NAME, "a tenant is 1-64 letters, digits, '_', '.', '-', not starting with '_'");

const RATE_LIMIT = /^(\d+)\/(\d+)\s?(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 } as const;

/** "100/10s" → 100 requests in any 10 s, per key (the sliding window of adapters/redis/lua.ts). */
function rateCharge(name: string, spec: string): RateCharge {
  const [, limit, amount, unit] = RATE_LIMIT.exec(spec)!;
  return { key: name, limit: Number(limit), windowMs: Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS], label: spec };
}

const apiKeyConfig = z.array(
  z.object({
    name: z.string().min(1),
    /** Whose records the key sees and creates. Default: the key's name. */
    tenant: tenantName.optional(),
    sha256: z.string().regex(/^[a-f0-9]{64}$/, "sha256 must be 64 lowercase hex characters"),
    scopes: z.array(z.enum(Scope)).min(1),
    /** "<requests>/<window>", e.g. "100/10s", "1000/1m"; absent: no limit. */
    rate_limit: z.string().regex(RATE_LIMIT).optional(),
  }),
);
/** A configured key, with its rate limit read once: what each of its requests is counted as. */
export type ApiKey = z.infer<typeof apiKeyConfig>[number] & { tenant: string; rate?: RateCharge };

export function parseApiKeys(json: string): ApiKey[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error("API_KEYS is not valid JSON");
  }
  const parsed = apiKeyConfig.safeParse(raw);
  if (!parsed.success) throw new Error(`API_KEYS: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data.map((key) => ({ ...key, tenant: key.tenant ?? key.name, ...(key.rate_limit ? { rate: rateCharge(key.name, key.rate_limit) } : {}) }));
}

export const hashApiKey = (key: string): string => createHash("sha256").update(key).digest("hex");

export function authenticate(keys: readonly ApiKey[], presented: string | undefined): ApiKey {
  if (!presented) throw new ApiError(401, "unauthorized", "missing X-API-Key header");
  const digest = Buffer.from(hashApiKey(presented), "hex");
  let match: ApiKey | undefined;
  for (const key of keys) {
    // No early exit: every configured key is compared.
    if (timingSafeEqual(digest, Buffer.from(key.sha256, "hex")) && !match) match = key;
  }
  if (!match) throw new ApiError(401, "unauthorized", "invalid API key");
  return match;
}

/** admin implies submit implies read. */
export function requireScope(key: ApiKey, scope: Scope): void {
  const rank = (s: Scope) => Scope.indexOf(s);
  if (!key.scopes.some((s) => rank(s) >= rank(scope))) {
    throw new ApiError(403, "forbidden", `this API key lacks the "${scope}" scope`);
  }
}
