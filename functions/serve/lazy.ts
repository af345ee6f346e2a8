// What the three registrations share: express answers in our JSON shape with
// the served function's body limits, and a function's wiring loads once, on
// its first request or in the background once the server is up.
import { installJsonFinalHandler } from "../api/framework-errors.ts";
import { bodyLimitsFor, servedTarget } from "../api/body-limits.ts";

installJsonFinalHandler(bodyLimitsFor(servedTarget()));

/** `load` once; if `name` is the served function, started 200 ms from now (late enough that functions-framework is listening) to fill idle time. */
export function lazyWiring<T>(name: string, load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | null = null;
  const once = () => (loaded ??= load());
  if (servedTarget() === name) setTimeout(() => void once().catch(() => undefined), 200).unref();
  return once;
}
