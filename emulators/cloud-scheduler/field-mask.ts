// UpdateJob's update_mask: copy only the named fields of the request's job onto the
// stored one. Paths may be snake_case (gRPC) or camelCase (REST). Output-only fields
// are ignored, as the API documents; without a mask every field the request sets is
// taken (AIP-134).
import { invalidArgument } from "./rpc-error.ts";
import type { WireJob } from "./wire.ts";

const SETTABLE = new Set([
  "description", "schedule", "timeZone", "httpTarget", "pubsubTarget", "appEngineHttpTarget",
  "retryConfig", "attemptDeadline",
]);
const IGNORED = new Set(["name", "userUpdateTime", "state", "status", "scheduleTime", "lastAttemptTime"]);

const camel = (segment: string) => segment.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

type Tree = Record<string, unknown>;

function copyPath(target: Tree, source: Tree | undefined, segments: string[]): void {
  const [head, ...rest] = segments as [string, ...string[]];
  const value = source?.[head];
  if (rest.length === 0) {
    if (value === undefined) delete target[head];
    else target[head] = value;
    return;
  }
  const child = target[head];
  const next: Tree = child && typeof child === "object" ? (child as Tree) : {};
  target[head] = next;
  copyPath(next, value as Tree | undefined, rest);
}

export function applyUpdateMask(current: WireJob, patch: WireJob, paths: string[] | undefined): WireJob {
  const merged = structuredClone(current) as Tree;
  const wanted = paths && paths.length > 0
    ? paths.map((path) => path.split(".").map(camel))
    : Object.keys(patch).filter((key) => SETTABLE.has(key)).map((key) => [key]);
  for (const segments of wanted) {
    const root = segments[0] ?? "";
    if (IGNORED.has(root)) continue;
    if (!SETTABLE.has(root)) throw invalidArgument(`update_mask names an unknown field "${segments.join(".")}"`);
    copyPath(merged, patch as Tree, segments);
  }
  return merged as WireJob;
}
