// Pauses every job in the local Cloud Scheduler emulator, so that a declared
// cron job (say sync.process_queue every 5 minutes) cannot land in the middle of
// a measurement and add its Redis requests or its CPU to the figures.
import * as grpc from "@grpc/grpc-js";
import { CloudSchedulerClient } from "@google-cloud/scheduler";
import type { Stack } from "../emulators/stack.ts";

/** Returns how many jobs it paused. */
export async function pauseScheduledJobs(stack: Stack): Promise<number> {
  const [host, port] = stack.scheduler.endpoint.split(":");
  const client = new CloudSchedulerClient({
    apiEndpoint: host, port: Number(port), sslCreds: grpc.credentials.createInsecure(), universeDomain: "googleapis.com", projectId: "local",
  });
  try {
    const [jobs] = await client.listJobs({ parent: "projects/local/locations/us-central1" }, { autoPaginate: false });
    for (const job of jobs) if (job.name && job.state !== "PAUSED") await client.pauseJob({ name: job.name });
    return jobs.length;
  } finally {
    await client.close();
  }
}
