// What the api's routes need, wired by functions/composition.ts.
import type { Registry } from "../core/registry.ts";
import type { EventBus, Logger, Scheduler, TaskQueue, TaskStore } from "../core/ports.ts";
import type { PortResolver } from "../core/port.ts";
import type { UserQuota } from "../tasks/users/ports.ts";
import type { FieldCipher } from "../core/sensitive-fields.ts";
import type { SubmitRequest, SubmitResult } from "../core/submit.ts";
import type { GroupDeps } from "../core/groups.ts";
import type { ApiKey } from "./auth.ts";
import type { RateLimiter } from "../core/rate-limit.ts";

export interface ApiDeps {
  /** A tenant's whsec_… secret that signs its callbacks (Standard Webhooks). */
  callbackSecret: (tenant: string) => string;
  registry: Registry;
  store: TaskStore;
  queue: TaskQueue;
  cipher: FieldCipher;
  log: Logger;
  keys: () => ApiKey[];
  /** Counts a request against its key's limit, for routes that do not count it themselves (built on first use). */
  rateLimiter: () => RateLimiter;
  submit: (request: SubmitRequest) => Promise<SubmitResult>;
  publicBaseUrl: string;
  bus: () => EventBus;
  /** The adapters behind the ports (built on first use), for routes that call a domain's service, e.g. /v1/search. */
  ports: PortResolver;
  /** Daily quotas, charged when a submit names a user_id (built on first use). */
  userQuota: () => UserQuota;
  /** Verifies Cloud Scheduler's OIDC tokens on the trigger endpoint; null when not configured. */
  schedulerVerifier: () => { verify(authorization: string | undefined): Promise<string> } | null;
  scheduler: () => Scheduler;
  groups: () => GroupDeps;
}
