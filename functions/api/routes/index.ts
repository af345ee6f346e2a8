// Every route of the api function.
import type { ApiDeps } from "../deps.ts";
import type { Route } from "../router.ts";
import { kv } from "../../core/ports.ts";
import { healthRoute } from "./health.ts";
import { consoleRoutes } from "./console.ts";
import { metaRoutes } from "./meta.ts";
import { queueRoutes } from "./queues.ts";
import { taskRoutes } from "./tasks.ts";
import { ttsRoutes } from "./tts.ts";
import { eventRoutes } from "./events.ts";
import { scheduleRoutes } from "./schedules.ts";
import { groupRoutes } from "./groups.ts";
import { declaredSchedulesByName } from "../../schedules.ts";
import { syncRoutes } from "./sync.ts";
import { uploadRoutes } from "./uploads.ts";
import { callbackRoutes } from "./callbacks.ts";
import { events } from "../../events/declarations.ts";

export function apiRoutes(deps: ApiDeps): Route[] {
  const routes: Route[] = [healthRoute, ...consoleRoutes(deps, declaredSchedulesByName), ...taskRoutes(deps), ...queueRoutes(deps), ...ttsRoutes(deps), ...eventRoutes(events, deps.bus, () => deps.ports.get(kv)), ...groupRoutes(deps, deps.groups), ...scheduleRoutes(deps, { declared: declaredSchedulesByName, scheduler: deps.scheduler, kv: () => deps.ports.get(kv) }), ...syncRoutes(deps), ...uploadRoutes(deps), ...callbackRoutes(deps)];
  routes.push(...metaRoutes(deps.registry, () => routes));
  return routes;
}
