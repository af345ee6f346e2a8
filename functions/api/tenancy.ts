// Who is calling, and whose records they may see. A key sees its own tenant's
// records; an admin key also sees the platform's own (SYSTEM_TENANT: schedules,
// outside events), and any other tenant's only when it asks with ?tenant=NAME
// (one) or ?tenant=* (all). Another tenant's record is answered 404, never 403:
// its existence is not the caller's to learn.
import { z } from "zod";
import { ApiError } from "../http/json.ts";
import { SYSTEM_TENANT } from "../core/task-record.ts";
import type { ApiKey, Scope } from "./auth.ts";

/** ?tenant= as OpenAPI shows it. */
export const tenantParam = z.string().min(1).max(64).optional()
  .describe("admin keys only: act on this tenant's records (NAME), or every tenant's (*); default: the key's own tenant and the platform's");

/** The query of a route that names one record: only ?tenant=. */
export const tenantQuery = z.object({ tenant: tenantParam });

export interface Caller {
  /** The API key's name, or the service that called (cloud-scheduler). */
  name: string;
  tenant: string;
  admin: boolean;
  /** The key's scopes, as configured (the console hides what they do not allow). */
  scopes: readonly Scope[];
}

export const callerOf = (key: ApiKey): Caller => ({ name: key.name, tenant: key.tenant, admin: key.scopes.includes("admin" satisfies Scope), scopes: key.scopes });

/** Cloud Scheduler's own calls (OIDC): the platform acting for itself. */
export const SCHEDULER_CALLER: Caller = { name: "cloud-scheduler", tenant: SYSTEM_TENANT, admin: true, scopes: ["admin"] };

/** The tenants a request may see: a list, or "*" for an admin that asked for all. */
export function visibleTenants(caller: Caller, query: URLSearchParams): readonly string[] | "*" {
  const asked = query.get("tenant");
  if (asked === null || asked === "") return caller.admin ? [caller.tenant, SYSTEM_TENANT] : [caller.tenant];
  if (!caller.admin && asked !== caller.tenant) {
    throw new ApiError(403, "forbidden", "only admin keys may name another tenant (?tenant=)");
  }
  return asked === "*" ? "*" : [asked];
}

/** Whether a record of `owner` is visible to this request. */
export function sees(caller: Caller, query: URLSearchParams, owner: string): boolean {
  const tenants = visibleTenants(caller, query);
  return tenants === "*" || tenants.includes(owner);
}
