// The Cloud Tasks client, imported on first use: @google-cloud/tasks costs
// ~400 ms to import, which the api's cold start to /healthz must not pay.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { CloudTasksClient } from "@google-cloud/tasks";
import type * as Gax from "google-gax";

/**
 * Only the v2 client's module: the package's index also loads the v2beta2 and v2beta3 clients and protos.js
 * (~55 ms more CPU on a first submit, which waits for this). Its exports map names no deeper path, so the
 * file is found from the package's own entry (build/cjs/src/index.cjs → build/esm/src/v2/index.js).
 */
async function importV2(): Promise<{ CloudTasksClient: typeof CloudTasksClient }> {
  const entry = createRequire(import.meta.url).resolve("@google-cloud/tasks");
  return (await import(new URL("../../esm/src/v2/index.js", pathToFileURL(entry)).href)) as { CloudTasksClient: typeof CloudTasksClient };
}

type Namespace = { nested?: Record<string, Namespace> } & Record<string, unknown>;

/**
 * google-gax as the client would load it, except that the Cloud Tasks protos it builds gRPC definitions from
 * are v2's only: the package's protos.json also has v2beta2 and v2beta3 (~40% of its types), which proto-loader
 * would turn into descriptors on the first call for nothing (measured: the client's constructor, ~10 ms of CPU less).
 */
async function gaxForV2(): Promise<typeof Gax> {
  const gax = await import("google-gax");
  class V2OnlyGrpcClient extends gax.GrpcClient {
    override loadProtoJSON(json: Gax.protobuf.INamespace, ignoreCache?: boolean) {
      const tasks = (json as Namespace).nested?.google?.nested?.cloud?.nested?.tasks;
      if (!tasks?.nested?.v2) return super.loadProtoJSON(json, ignoreCache);
      const only = <T extends Namespace>(namespace: T, name: string, inner: Namespace): T => ({ ...namespace, nested: { ...namespace.nested, [name]: inner } });
      const root = json as Namespace;
      const google = root.nested!.google!;
      const cloud = google.nested!.cloud!;
      const pruned = only(root, "google", only(google, "cloud", only(cloud, "tasks", { ...tasks, nested: { v2: tasks.nested.v2 } })));
      return super.loadProtoJSON(pruned as Gax.protobuf.INamespace, ignoreCache);
    }
  }
  return { ...gax, GrpcClient: V2OnlyGrpcClient };
}

export interface CloudTasksConnection {
  project: string;
  location: string;
  /** host:port of the local emulator (plaintext gRPC); unset for the real service. */
  emulatorHost?: string;
}

let pending: Promise<CloudTasksClient> | null = null;
let pendingFor = "";

export function cloudTasksClient(connection: CloudTasksConnection): Promise<CloudTasksClient> {
  const key = connection.emulatorHost ?? "";
  if (!pending || pendingFor !== key) {
    pendingFor = key;
    pending = (async () => {
      const [{ CloudTasksClient }, gax] = await Promise.all([importV2(), gaxForV2()]);
      if (!connection.emulatorHost) return new CloudTasksClient({}, gax);
      const grpc = await import("@grpc/grpc-js");
      const [host, port] = connection.emulatorHost.split(":");
      return new CloudTasksClient({
        apiEndpoint: host,
        port: Number(port),
        sslCreds: grpc.credentials.createInsecure(),
        // Without it google-gax asks google-auth for the universe domain, which looks for credentials.
        universeDomain: "googleapis.com",
        projectId: connection.project,
      }, gax);
    })();
  }
  return pending;
}

export const queuePath = (c: CloudTasksConnection, queue: string) => `projects/${c.project}/locations/${c.location}/queues/${queue}`;
