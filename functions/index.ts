// Entry points that functions-framework loads: api (HTTP), worker (the Cloud
// Tasks target), events (Pub/Sub, as CloudEvents). Nothing is built at import time; the first request builds
// what it needs.
import { cloudEvent, http } from "@google-cloud/functions-framework";
import type { ServerResponse } from "node:http";
import { createPlatform } from "./composition.ts";
import { createApiHandler } from "./api/app.ts";
import { apiRoutes } from "./api/routes/index.ts";
import { installJsonFinalHandler } from "./api/framework-errors.ts";
import { createWorkerHandler } from "./worker/handler.ts";
import type { ApiRequest } from "./api/http.ts";

installJsonFinalHandler();
const platform = createPlatform();

let api: ((req: ApiRequest, res: ServerResponse) => Promise<void>) | null = null;
http("api", (req, res) => {
  if (!api) {
    const deps = platform.apiDeps();
    api = createApiHandler(deps, apiRoutes(deps));
  }
  return api(req as ApiRequest, res);
});

const worker = createWorkerHandler({ executor: platform.executor, verifier: platform.verifier, log: platform.log });
http("worker", (req, res) => worker(req as ApiRequest, res));

cloudEvent("events", async (event: { data?: unknown; source?: string }) => {
  await platform.eventsHandler()(event);
});
