// The body limits of the function this process serves (functions-framework
// serves one per process, named by --target or FUNCTION_TARGET, as its own
// option parser reads them). Configuration is imported on the first body, off
// the cold path to /healthz.
import type { BodyLimits } from "./body-gate.ts";

/** The function functions-framework was asked to serve. */
export function servedTarget(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("--target=")) return arg.slice("--target=".length);
    if (arg === "--target" && argv[i + 1]) return argv[i + 1]!;
  }
  return env.FUNCTION_TARGET ?? "function";
}

export function bodyLimitsFor(target: string): () => Promise<BodyLimits> {
  let limits: Promise<BodyLimits> | null = null;
  return () => (limits ??= load(target));
}

async function load(target: string): Promise<BodyLimits> {
  const [{ config }, { IMAGE_CONTENT_TYPES }] = await Promise.all([import("../config.ts"), import("../tasks/media/image-ref.ts")]);
  const c = config();
  const maxJsonDepth = c.JSON_MAX_DEPTH;
  if (target === "worker") return { maxJsonBytes: c.WORKER_MAX_BODY_BYTES, maxJsonDepth, rawBodies: [] };
  if (target === "events") return { maxJsonBytes: c.EVENTS_MAX_BODY_BYTES, maxJsonDepth, rawBodies: [] };
  return {
    maxJsonBytes: c.API_MAX_BODY_BYTES,
    maxJsonDepth,
    // Image bytes for media tasks; the route checks what they are.
    rawBodies: [{ method: "POST", path: "/v1/uploads", types: IMAGE_CONTENT_TYPES, maxBytes: c.MEDIA_MAX_INPUT_BYTES }],
  };
}
