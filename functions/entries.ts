// The three functions, fully wired. functions/index.ts loads this module in the
// background at cold start, so answering /healthz never waits for it.
import type { ServerResponse } from "node:http";
import { createPlatform } from "./composition.ts";
import { createApiHandler } from "./api/app.ts";
import { apiRoutes } from "./api/routes/index.ts";
import { createWorkerHandler } from "./worker/handler.ts";
import type { ApiRequest } from "./http/json.ts";
import { newTrace, runInScope } from "./core/trace-context.ts";

const platform = createPlatform();
try {
  platform.logConsole();
} catch {
  // A configuration error: the request that needs the logger names it.
}
// Load the Cloud Tasks client now, while the instance is idle, not on the first submit.
try {
  platform.queue().warm();
} catch {
  // Configuration errors surface on the request that needs the queue, with their message.
}

let api: ((req: ApiRequest, res: ServerResponse) => Promise<void>) | null = null;
export function apiHandler(req: ApiRequest, res: ServerResponse): Promise<void> {
  if (!api) {
    const deps = platform.apiDeps();
    api = createApiHandler(deps, apiRoutes(deps));
  }
  return api(req, res);
}

export const workerHandler = createWorkerHandler({ executor: platform.executor, verifier: platform.verifier, log: platform.log });

export async function eventsHandler(event: { data?: unknown; source?: string }): Promise<void> {
  // A trace per event: its lines and the tasks it submits (their worker lines too) share it.
  await runInScope({ trace: newTrace() }, async () => {
    try {
      await platform.eventsHandler()(event);
    } catch (error) {
      // Thrown on, so that Pub/Sub delivers it again (and dead-letters a poison event after its attempts).
      const poison = error instanceof Error && error.name === "PoisonEvent";
      if (poison) platform.log().warn({ err: error }, "refused an event; Pub/Sub dead-letters it after its attempts");
      else platform.log().error({ err: error }, "an event failed; Pub/Sub will deliver it again");
      throw new LoggedFailure(error);
    }
  });
}

/**
 * functions-framework prints a cloudEvent function's error as `console.error(err.stack)`: plain text, a line
 * Cloud Logging cannot read. The error was logged above with its stack; what the framework prints is one line.
 */
class LoggedFailure extends Error {
  override readonly name = "LoggedFailure";
  constructor(cause: unknown) {
    super("the event's failure is logged above", { cause });
    this.stack = JSON.stringify({ severity: "DEBUG", time: new Date().toISOString(), message: "the events function answered 500; its failure is logged above" });
  }
}
