// The worker's registration (the Cloud Tasks target); its wiring is functions/entries/worker.ts.
import { http } from "@google-cloud/functions-framework";
import type { ApiRequest } from "../api/http.ts";
import { lazyWiring } from "./lazy.ts";

const wiring = lazyWiring("worker", () => import("../entries/worker.ts"));

http("worker", async (req, res) => (await wiring()).workerHandler(req as ApiRequest, res));
