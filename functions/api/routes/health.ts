// /healthz answers without touching a dependency: it says the function is up.
import { sendJson } from "../http.ts";
import type { Route } from "../router.ts";

export const healthRoute: Route = {
  method: "GET", path: "/healthz", scope: null, summary: "Liveness",
  handle({ res }) {
    sendJson(res, 200, { status: "ok" });
  },
};
