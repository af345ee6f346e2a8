// EventBus on Pub/Sub: JSON data, string attributes, one Topic object per topic
// (the client batches publishes per topic).
import type { Topic } from "@google-cloud/pubsub";
import { DependencyError } from "../../core/dependency-error.ts";
import type { EventBus } from "../../core/ports.ts";
import { pubSubClient } from "./client.ts";

export class PubSubEventBus implements EventBus {
  readonly #project: string;
  readonly #topics = new Map<string, Promise<Topic>>();

  constructor(project: string) {
    this.#project = project;
  }

  async publish(topic: string, data: unknown, attributes: Record<string, string> = {}): Promise<string> {
    let handle = this.#topics.get(topic);
    if (!handle) {
      handle = pubSubClient(this.#project).then((client) => client.topic(topic, { batching: { maxMessages: 100, maxMilliseconds: 5 } }));
      this.#topics.set(topic, handle);
    }
    try {
      return await (await handle).publishMessage({ data: Buffer.from(JSON.stringify(data)), attributes });
    } catch (error) {
      throw new DependencyError("pubsub", `publish to ${topic} failed: ${(error as Error).message}`, { cause: error });
    }
  }
}
