// The JSON tree of a group, chain or chord, as submitted (POST /v1/groups, ctx.enqueueGroup).
import { z } from "zod";

const member = z.strictObject({ type: z.string().min(1), payload: z.unknown().optional() });
export const groupSpec = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("group"), tasks: z.array(member).min(1).max(10_000) }),
  z.strictObject({ kind: z.literal("chain"), tasks: z.array(member).min(1).max(100) }),
  z.strictObject({
    kind: z.literal("chord"),
    tasks: z.array(member).min(1).max(10_000),
    callback: member,
    /** Run the callback even when members failed, with their errors in place of results. */
    allow_partial: z.boolean().default(false),
  }),
]);
export type GroupSpec = z.infer<typeof groupSpec>;
export type GroupMember = z.infer<typeof member>;

