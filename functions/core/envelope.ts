// The body of every Cloud Task the platform creates: what the worker receives.
// It names the task and nothing else: the worker runs the type and payload the
// stored record holds, so a replayed or forged delivery cannot change what runs.
import { z } from "zod";

export const taskEnvelope = z.object({
  v: z.union([z.literal(1), z.literal(2)]),
  id: z.string().min(1).max(200),
  /** Written by version 1 (type and payload travelled here); read only to log a mismatch with the record. */
  type: z.string().optional(),
});
export type TaskEnvelope = z.infer<typeof taskEnvelope>;

export const encodeEnvelope = (id: string): string => JSON.stringify({ v: 2, id });
