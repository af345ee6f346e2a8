// What POST /v1/groups can know before anything runs: a chord callback that can
// never accept {results, failed} (plus its own payload), or a chain step that can
// never accept the previous step's output. Such a follow-up would be refused at
// run time; refusing the tree at submit says so while the caller is listening.
import { z } from "zod";
import type { AnyTaskDefinition } from "./define-task.ts";
import type { GroupMember } from "./group-spec.ts";
import { chainInput } from "./groups.ts";

type Issue = { code: string; path: PropertyKey[]; message: string; keys?: string[] };

const RUNTIME_FIELDS = new Set<PropertyKey>(["results", "failed"]);

/** Why a chord callback can never run, or null. `results` and `failed` are probed empty: their contents are known only at run time. */
export function chordCallbackRefusal(callback: AnyTaskDefinition, member: GroupMember): string | null {
  const own = member.payload && typeof member.payload === "object" && !Array.isArray(member.payload) ? member.payload : {};
  const probe = callback.input.safeParse({ ...own, results: [], failed: [] });
  if (probe.success) return null;
  const fatal = (probe.error.issues as Issue[]).filter((issue) => {
    const [head] = issue.path;
    // A constraint on the results' contents (min length, element shape) depends on what the members return.
    if (head !== undefined && RUNTIME_FIELDS.has(head) && !(issue.code === "invalid_type" && issue.path.length === 1)) return false;
    return true;
  });
  if (fatal.length === 0) return null;
  return `the chord callback ${callback.name} cannot accept {results, failed}: ${describe(fatal)}`;
}

/** Why chain step `next` can never accept the output of `previous`, where the schemas make it knowable (object outputs into strict object inputs). */
export function chainStepRefusal(previous: AnyTaskDefinition, next: AnyTaskDefinition, member: GroupMember): string | null {
  const output = previous.output;
  const input = next.input;
  if (!(output instanceof z.ZodObject) || !(input instanceof z.ZodObject)) return null;
  const strict = (input._zod.def.catchall as { _zod?: { def?: { type?: string } } } | undefined)?._zod?.def?.type === "never";
  // The step's input is the previous output with the step's payload on top: probe with the output's keys present.
  const sample = Object.fromEntries(Object.keys(output.shape).map((key) => [key, undefined]));
  const merged = chainInput(sample, member.payload);
  if (!merged || typeof merged !== "object") return null;
  const accepted = new Set(Object.keys(input.shape));
  const unknown = strict ? Object.keys(merged).filter((key) => !accepted.has(key)) : [];
  if (unknown.length > 0) return `chain step ${next.name} does not accept ${unknown.map((k) => `"${k}"`).join(", ")} from ${previous.name}'s output`;
  return null;
}

function describe(issues: Issue[]): string {
  return issues.map((i) => `${i.path.map(String).join(".") || "payload"}: ${i.message}`).join("; ").slice(0, 1000);
}
