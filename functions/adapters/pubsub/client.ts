// The Pub/Sub client, imported on first use (~350 ms). Locally the library
// finds the emulator through PUBSUB_EMULATOR_HOST on its own.
import type { PubSub } from "@google-cloud/pubsub";

const clients = new Map<string, Promise<PubSub>>();

export function pubSubClient(project: string): Promise<PubSub> {
  let client = clients.get(project);
  if (!client) {
    client = import("@google-cloud/pubsub").then(({ PubSub }) => new PubSub({ projectId: project }));
    clients.set(project, client);
  }
  return client;
}
