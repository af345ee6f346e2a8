// The three functions, fully wired. functions/index.ts loads this module in the
// background at cold start, so answering /healthz never waits for it.
import type { ServerResponse } from "node:http";
import { createPlatform } from "./composition.ts";
import { createApiHandler } from "./api/app.ts";
import { apiRoutes } from "./api/routes/index.ts";
import { createWorkerHandler } from "./worker/handler.ts";
import type { ApiRequest } from "./api/http.ts";
import { newTrace, runInScope } from "./core/trace-context.ts";

const platform = createPlatform();
// Load the Cloud Tasks client now, while the instance is idle, not on the first submit.
try {
  platform.queue().warm();
} catch {
  // Configuration errors surface on the request that needs the queue, with their message.
}

let api: ((req: ApiRequest, res: ServerResponse) => Promise<void>) | null = null;
export function apiHandler(req: ApiRequest, res: ServerResponse): Promise<void> {
  if (!api) {
    const deps = platform.apiDeps();
    api = createApiHandler(deps, apiRoutes(deps));
  }
  return api(req, res);
}

export const workerHandler = createWorkerHandler({ executor: platform.executor, verifier: platform.verifier, log: platform.log });

export async function eventsHandler(event: { data?: unknown; source?: string }): Promise<void> {
  // A trace per event: its lines and the tasks it submits (their worker lines too) share it.
  await runInScope({ trace: newTrace() }, () => platform.eventsHandler()(event));
}
