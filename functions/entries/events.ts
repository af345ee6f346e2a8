// The events function, fully wired (functions/serve/events.ts loads it).
import { platform, warmQueue } from "./platform.ts";
import { newTrace, runInScope } from "../core/trace-context.ts";

warmQueue();

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
