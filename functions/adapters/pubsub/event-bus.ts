// EventBus on Pub/Sub: JSON data, string attributes, one Topic object per topic
// (the client batches publishes per topic).
import type { Topic } from "@google-cloud/pubsub";
import { DependencyError, isDependencyError } from "../../core/errors.ts";
import { withDeadline } from "../../core/deadline.ts";
import type { EventBus } from "../../core/ports.ts";
import { pubSubClient } from "./client.ts";

export class PubSubEventBus implements EventBus {
  readonly #project: string;
  readonly #topics = new Map<string, Promise<Topic>>();
  readonly #timeoutMs: number;

  /** `timeoutMs` bounds one publish, batching and the client's retries included. Default 2,000. */
  constructor(project: string, timeoutMs = 2_000) {
    this.#project = project;
    this.#timeoutMs = timeoutMs;
  }

  async publish(topic: string, data: unknown, attributes: Record<string, string> = {}): Promise<string> {
    let handle = this.#topics.get(topic);
    if (!handle) {
      handle = pubSubClient(this.#project).then((client) => client.topic(topic, { batching: { maxMessages: 100, maxMilliseconds: 5 }, gaxOpts: { timeout: this.#timeoutMs } }));
      this.#topics.set(topic, handle);
    }
    try {
      const published = handle.then((t) => t.publishMessage({ data: Buffer.from(JSON.stringify(data)), attributes }));
      return await withDeadline(published, this.#timeoutMs, "pubsub");
    } catch (error) {
      if (isDependencyError(error)) throw error;
      throw new DependencyError("pubsub", `publish to ${topic} failed: ${(error as Error).message}`, { cause: error });
    }
  }
}
