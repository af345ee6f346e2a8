// The worker's registration (the Cloud Tasks target); its wiring is functions/entries/worker.ts.
import type { ServerResponse } from "node:http";
import { http } from "@google-cloud/functions-framework";
import type { ApiRequest } from "../http/json.ts";
import { lazyWiring, serve } from "./lazy.ts";

const wiring = lazyWiring("worker", () => import("../entries/worker.ts"));

const worker = async (req: ApiRequest, res: ServerResponse): Promise<void> => (await wiring()).workerHandler(req, res);
http("worker", worker);
serve("worker", worker);
