// Every route of the api function.
import type { ApiDeps } from "../deps.ts";
import type { Route } from "../router.ts";
import { healthRoute } from "./health.ts";
import { metaRoutes } from "./meta.ts";
import { queueRoutes } from "./queues.ts";
import { taskRoutes } from "./tasks.ts";

export function apiRoutes(deps: ApiDeps): Route[] {
  const routes: Route[] = [healthRoute, ...taskRoutes(deps), ...queueRoutes(deps)];
  routes.push(...metaRoutes(deps.registry, () => routes));
  return routes;
}
