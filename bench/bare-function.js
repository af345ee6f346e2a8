// bare-function.ts in plain JavaScript: its cold start shows what Node's
// TypeScript type stripping adds to a function's first answer.
import { http } from "@google-cloud/functions-framework";

http("bare", (_req, res) => {
  res.status(202).json({ task_id: "00000000-0000-0000-0000-000000000000", status: "PENDING" });
});
