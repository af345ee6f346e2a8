// Creates the topics and push subscriptions the code declares. Terraform does
// this in production; `npm run dev` and the tests do it against the emulator.
import { pubSubClient } from "./client.ts";
import type { EventDefinition } from "../../core/define-event.ts";

export interface Topology {
  project: string;
  events: EventDefinition[];
  /** Topics the platform publishes to (lifecycle, dead letters). */
  platformTopics: string[];
  /** Where push subscriptions deliver: the events function's base URL. */
  eventsUrl: string;
  deadLetterTopic: string;
  maxDeliveryAttempts: number;
}

/** Subscription id of an event topic's push subscription. */
export const pushSubscriptionName = (topic: string) => `${topic}-events`;
/** A pull subscription on each platform topic, so dead letters can be inspected. */
export const inspectSubscriptionName = (topic: string) => `${topic}-inspect`;

export async function ensureTopology(topology: Topology): Promise<void> {
  const client = await pubSubClient(topology.project);
  const ensureTopic = async (name: string) => {
    const [exists] = await client.topic(name).exists();
    if (!exists) await client.createTopic(name);
  };
  for (const topic of topology.platformTopics) {
    await ensureTopic(topic);
    const sub = client.topic(topic).subscription(inspectSubscriptionName(topic));
    if (!(await sub.exists())[0]) await client.topic(topic).createSubscription(inspectSubscriptionName(topic));
  }
  for (const event of topology.events) {
    await ensureTopic(event.topic);
    const name = pushSubscriptionName(event.topic);
    const options = {
      // functions-framework turns a push into a CloudEvent only for this path shape.
      pushConfig: { pushEndpoint: `${topology.eventsUrl.replace(/\/$/, "")}/projects/${topology.project}/topics/${event.topic}` },
      deadLetterPolicy: { deadLetterTopic: `projects/${topology.project}/topics/${topology.deadLetterTopic}`, maxDeliveryAttempts: topology.maxDeliveryAttempts },
      retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 10 } },
      ackDeadlineSeconds: 60,
    };
    const subscription = client.topic(event.topic).subscription(name);
    if ((await subscription.exists())[0]) await subscription.delete();
    await client.topic(event.topic).createSubscription(name, options);
  }
}
