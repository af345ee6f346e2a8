// What the api's routes need, wired by functions/composition.ts.
import type { Registry } from "../core/registry.ts";
import type { Logger, TaskQueue, TaskStore } from "../core/ports.ts";
import type { FieldCipher } from "../core/sensitive-fields.ts";
import type { SubmitRequest, SubmitResult } from "../core/submit.ts";
import type { ApiKey } from "./auth.ts";
import type { RateLimiter } from "./rate-limit.ts";

export interface ApiDeps {
  registry: Registry;
  store: TaskStore;
  queue: TaskQueue;
  cipher: FieldCipher;
  log: Logger;
  keys: () => ApiKey[];
  rateLimiter: RateLimiter;
  submit: (request: SubmitRequest) => Promise<SubmitResult>;
  publicBaseUrl: string;
}
