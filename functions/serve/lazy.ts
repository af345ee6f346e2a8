// What the three registrations share: express answers in our JSON shape with
// the served function's body limits, the served HTTP function answers past
// express, and a function's wiring loads once, on its first request or in the
// background once the server is up.
import type { IncomingMessage, ServerResponse } from "node:http";
import { installJsonFinalHandler, serveDirectly } from "../http/framework.ts";
import { bodyLimitsFor, servedTarget } from "../http/body-limits.ts";

installJsonFinalHandler(bodyLimitsFor(servedTarget()));

/** `load` once; if `name` is the served function, started 200 ms from now (late enough that functions-framework is listening) to fill idle time. */
export function lazyWiring<T>(name: string, load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | null = null;
  const once = () => (loaded ??= load());
  if (servedTarget() === name) setTimeout(() => void once().catch(() => undefined), 200).unref();
  return once;
}

/**
 * When `name` is the served function, it answers every request itself: no express chain, and no per-request
 * domain, whose async hooks would make every promise of the process ~15 times dearer from the first request on
 * (functions/http/framework.ts).
 */
export function serve(name: string, handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): void {
  if (servedTarget() === name) serveDirectly(handler);
}
