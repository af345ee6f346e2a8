// The body of every Cloud Task the platform creates: what the worker receives.
import { z } from "zod";

export const taskEnvelope = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(200),
  type: z.string().min(1),
  /** Unknown until the task's input schema parses it: it may have been written by older code. */
  payload: z.unknown(),
});
export type TaskEnvelope = z.infer<typeof taskEnvelope>;

export const encodeEnvelope = (envelope: TaskEnvelope): string => JSON.stringify(envelope);
