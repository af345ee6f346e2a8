// Who is calling, and whose records they may see. A key sees its own tenant's
// records; an admin key also sees the platform's own (SYSTEM_TENANT: schedules,
// outside events), and any other tenant's only when it asks with ?tenant=NAME
// (one) or ?tenant=* (all). Another tenant's record is answered 404, never 403:
// its existence is not the caller's to learn.
import { ApiError } from "./http.ts";
import { SYSTEM_TENANT } from "../core/task-record.ts";
import type { ApiKey, Scope } from "./auth.ts";

export interface Caller {
  /** The API key's name, or the service that called (cloud-scheduler). */
  name: string;
  tenant: string;
  admin: boolean;
}

export const callerOf = (key: ApiKey): Caller => ({ name: key.name, tenant: key.tenant, admin: key.scopes.includes("admin" satisfies Scope) });

/** Cloud Scheduler's own calls (OIDC): the platform acting for itself. */
export const SCHEDULER_CALLER: Caller = { name: "cloud-scheduler", tenant: SYSTEM_TENANT, admin: true };

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
