// /healthz answers without touching a dependency: it says the function is up.
import { sendJson } from "../../http/json.ts";
import type { Route } from "../router.ts";
import { health } from "../answers.ts";

export const healthRoute: Route = {
  method: "GET", path: "/healthz", scope: null, summary: "Liveness", operationId: "getHealth",
  doc: { responses: { 200: health } },
  handle({ res }) {
    sendJson(res, 200, { status: "ok" });
  },
};
