// The CloudScheduler service definition, from the same protos.json the client library
// encodes with, so both sides agree on every field.
import { createRequire } from "node:module";
import type { ServiceDefinition } from "@grpc/grpc-js";
import { fromJSON } from "@grpc/proto-loader";

export function loadCloudSchedulerService(): ServiceDefinition {
  const require = createRequire(import.meta.url);
  const json = require("@google-cloud/scheduler/build/protos/protos.json") as Parameters<typeof fromJSON>[0];
  // Unset fields stay absent (defaults: false) so UpdateJob can tell them from zero values.
  const definition = fromJSON(json, { longs: String, enums: String, defaults: false, oneofs: true });
  return definition["google.cloud.scheduler.v1.CloudScheduler"] as ServiceDefinition;
}
