// The baseline: a bare functions-framework function answering a trivial JSON
// body, served by the same CLI, loopback preload and TypeScript loading as the
// platform's functions/index.ts. bare-function.js is the same in plain JS.
import { http } from "@google-cloud/functions-framework";

http("bare", (_req, res) => {
  res.status(202).json({ task_id: "00000000-0000-0000-0000-000000000000", status: "PENDING" });
});
