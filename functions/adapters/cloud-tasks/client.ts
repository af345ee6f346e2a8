// The Cloud Tasks client, imported on first use: @google-cloud/tasks costs
// ~400 ms to import, which the api's cold start to /healthz must not pay.
import type { CloudTasksClient } from "@google-cloud/tasks";

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
      const { CloudTasksClient } = await import("@google-cloud/tasks");
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
