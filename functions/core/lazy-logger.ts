// A child logger built on its first written line. A delivery binds its task id,
// type and tenant for the lines its handler might write; most write none, and
// pino formats a child's bindings when the child is made, so it is made late.
import type { Logger } from "./ports.ts";

type Level = "debug" | "info" | "warn" | "error";

export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let built: Logger | undefined;
  const child = () => (built ??= parent.child(bindings));
  const at = (level: Level) => (obj: object | string, msg?: string) => {
    if (parent.isLevelEnabled?.(level) === false) return;
    if (msg === undefined) child()[level](obj);
    else child()[level](obj, msg);
  };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (more) => lazyChild(parent, { ...bindings, ...more }),
    isLevelEnabled: (level) => parent.isLevelEnabled?.(level) ?? true,
  };
}
