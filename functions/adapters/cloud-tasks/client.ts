// The Cloud Tasks client, imported on first use: @google-cloud/tasks costs
// ~400 ms to import, which the api's cold start to /healthz must not pay.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { CloudTasksClient } from "@google-cloud/tasks";

/**
 * Only the v2 client's module: the package's index also loads the v2beta2 and v2beta3 clients and protos.js
 * (~55 ms more CPU on a first submit, which waits for this). Its exports map names no deeper path, so the
 * file is found from the package's own entry (build/cjs/src/index.cjs → build/esm/src/v2/index.js).
 */
async function importV2(): Promise<{ CloudTasksClient: typeof CloudTasksClient }> {
  const entry = createRequire(import.meta.url).resolve("@google-cloud/tasks");
  return (await import(new URL("../../esm/src/v2/index.js", pathToFileURL(entry)).href)) as { CloudTasksClient: typeof CloudTasksClient };
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
      const { CloudTasksClient } = await importV2();
      if (!connection.emulatorHost) return new CloudTasksClient();
      const grpc = await import("@grpc/grpc-js");
      const [host, port] = connection.emulatorHost.split(":");
      return new CloudTasksClient({
        apiEndpoint: host,
        port: Number(port),
        sslCreds: grpc.credentials.createInsecure(),
        // Without it google-gax asks google-auth for the universe domain, which looks for credentials.
        universeDomain: "googleapis.com",
        projectId: connection.project,
      });
    })();
  }
  return pending;
}

export const queuePath = (c: CloudTasksConnection, queue: string) => `projects/${c.project}/locations/${c.location}/queues/${queue}`;
