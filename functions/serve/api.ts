// The api's registration: /healthz answers at once; everything else waits for the wiring (functions/entries/api.ts).
import { http } from "@google-cloud/functions-framework";
import { sendJson, type ApiRequest } from "../api/http.ts";
import { lazyWiring } from "./lazy.ts";

const wiring = lazyWiring("api", () => import("../entries/api.ts"));

http("api", async (req, res) => {
  if (req.method === "GET" && (req.url === "/healthz" || req.url?.startsWith("/healthz?"))) {
    sendJson(res, 200, { status: "ok" });
    return;
  }
  return (await wiring()).apiHandler(req as ApiRequest, res);
});
