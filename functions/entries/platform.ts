// The wired platform the three functions share. functions/serve/*.ts load the
// served function's wiring (./api.ts, ./worker.ts, ./events.ts, each importing
// this) in the background at cold start, so answering /healthz never waits for it.
import { createPlatform } from "../composition.ts";

export const platform = createPlatform();
try {
  platform.logConsole();
} catch {
  // A configuration error: the request that needs the logger names it.
}

/** Loads the Cloud Tasks client now, while the instance is idle, not on the first submit (the api and events submit; the worker need not pay for it). */
export function warmQueue(): void {
  try {
    platform.queue().warm();
  } catch {
    // Configuration errors surface on the request that needs the queue, with their message.
  }
}
