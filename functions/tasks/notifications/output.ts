import { z } from "zod";

/** What every notification task returns. */
export const notificationOutput = z.object({
  delivered: z.boolean(),
  event: z.string(),
  status_code: z.number().int(),
});
