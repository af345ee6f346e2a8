// The api's registration: /healthz answers at once; everything else waits for the wiring (functions/entries/api.ts).
import type { ServerResponse } from "node:http";
import { http } from "@google-cloud/functions-framework";
import { sendJson, type ApiRequest } from "../http/json.ts";
import { lazyWiring, serve } from "./lazy.ts";

const wiring = lazyWiring("api", () => import("../entries/api.ts"));

const api = async (req: ApiRequest, res: ServerResponse): Promise<void> => {
  if (req.method === "GET" && (req.url === "/healthz" || req.url?.startsWith("/healthz?"))) {
    sendJson(res, 200, { status: "ok" });
    return;
  }
  return (await wiring()).apiHandler(req, res);
};
http("api", api);
serve("api", api);
