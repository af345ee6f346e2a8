// 6. Figures other parts of the platform plug in. HOOK: a module here that
// exports the named function is run with the bench context and its figures join
// the table; until then the table says "not measured yet".
//
//   bench/group.ts  export async function benchGroup(context: BenchContext): Promise<SectionResult>
//     group throughput (a 1,000-member group: members/s until the group is done)
//     and Upstash requests per member for the group bookkeeping (stack.bridge.resetStats()/stats()).
//   bench/sync.ts   export async function benchSync(context: BenchContext): Promise<SectionResult>
//     vector sync throughput (documents/s into the Qdrant stand-in).
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Stack } from "../emulators/stack.ts";
import type { BenchApi } from "./api.ts";
import type { QueueControl } from "./queue-control.ts";
import type { SectionResult } from "./report.ts";

export interface BenchContext {
  stack: Stack;
  /** Keep-alive client of the api with the dev (admin) key. */
  api: BenchApi;
  /** Pause, resume, purge, drain checks and rates of the Cloud Tasks emulator's queues. */
  queues: QueueControl;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export const pluggedFigures = [
  { file: "group.ts", exportName: "benchGroup", section: "6 group", figures: ["1,000-member group throughput", "Upstash requests per member (group bookkeeping)"] },
  { file: "sync.ts", exportName: "benchSync", section: "6 vector sync", figures: ["vector sync throughput (docs/s)"] },
] as const;

export async function runPluggedFigures(context: BenchContext): Promise<SectionResult[]> {
  const results: SectionResult[] = [];
  for (const hook of pluggedFigures) {
    const file = path.join(here, hook.file);
    if (!existsSync(file)) {
      results.push({ figures: hook.figures.map((figure) => ({ section: hook.section, figure, value: "not measured yet" })), notes: [] });
      continue;
    }
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const measure = module[hook.exportName];
    if (typeof measure !== "function") throw new Error(`bench/${hook.file} must export ${hook.exportName}(context)`);
    results.push(await (measure as (context: BenchContext) => Promise<SectionResult>)(context));
  }
  return results;
}
