// The worker, fully wired (functions/serve/worker.ts loads it). It imports no
// Cloud Tasks client at start: a no-op's first delivery never needs one.
import { platform } from "./platform.ts";
import { createWorkerHandler } from "../worker/handler.ts";

export const workerHandler = createWorkerHandler({ executor: platform.executor, verifier: platform.verifier, log: platform.log });
