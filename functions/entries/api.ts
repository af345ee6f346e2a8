// The api, fully wired (functions/serve/api.ts loads it).
import type { ServerResponse } from "node:http";
import { platform, warmQueue } from "./platform.ts";
import { createApiHandler } from "../api/app.ts";
import { apiRoutes } from "../api/routes/index.ts";
import type { ApiRequest } from "../http/json.ts";

warmQueue();

let api: ((req: ApiRequest, res: ServerResponse) => Promise<void>) | null = null;
export function apiHandler(req: ApiRequest, res: ServerResponse): Promise<void> {
  if (!api) {
    const deps = platform.apiDeps();
    api = createApiHandler(deps, apiRoutes(deps));
  }
  return api(req, res);
}
