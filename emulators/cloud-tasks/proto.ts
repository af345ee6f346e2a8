// Loads google.cloud.tasks.v2.CloudTasks from the .proto files that ship with
// @google-cloud/tasks, so the emulator speaks exactly the wire format of the
// client version installed next to it.
import { createRequire } from "node:module";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

const require = createRequire(import.meta.url);

/** Where the tasks protos and their google/api, google/iam, google/rpc imports live. */
function protoIncludeDirs(): string[] {
  // .../@google-cloud/tasks/build/cjs/src/index.cjs -> .../@google-cloud/tasks/build/protos
  const tasksEntry = require.resolve("@google-cloud/tasks");
  const tasksProtos = path.resolve(path.dirname(tasksEntry), "..", "..", "protos");
  // google-gax is the client's own dependency: resolve it from the client, not from us.
  const gaxEntry = createRequire(tasksEntry).resolve("google-gax");
  const gaxProtos = path.resolve(path.dirname(gaxEntry), "..", "protos");
  return [tasksProtos, gaxProtos];
}

let loaded: grpc.ServiceDefinition | undefined;

/** The gRPC service definition; handlers see snake_case fields, enums as names, no defaults filled in. */
export function loadCloudTasksService(): grpc.ServiceDefinition {
  loaded ??= load();
  return loaded;
}

function load(): grpc.ServiceDefinition {
  const definition = protoLoader.loadSync("google/cloud/tasks/v2/cloudtasks.proto", {
    includeDirs: protoIncludeDirs(),
    keepCase: true,
    longs: Number,
    enums: String,
    // Without defaults an unset field reads as undefined, which is how the
    // handlers tell "not given, pick the default" from an explicit value.
    defaults: false,
    oneofs: true,
  });
  const root = grpc.loadPackageDefinition(definition) as unknown as {
    google: { cloud: { tasks: { v2: { CloudTasks: grpc.ServiceClientConstructor } } } };
  };
  return root.google.cloud.tasks.v2.CloudTasks.service;
}
