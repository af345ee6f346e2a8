// The events function: Pub/Sub pushes a domain event (as a CloudEvent); each
// subscription declared for it becomes a task. The task's idempotency key is
// the event id, so a redelivered event starts no second task. Anything that
// fails is thrown: Pub/Sub redelivers, and after its attempts the message goes
// to the dead-letter topic.
import { z } from "zod";
import type { EventDefinition, SubscriptionDefinition } from "../core/define-event.ts";
import type { Logger } from "../core/ports.ts";
import type { SubmitRequest, SubmitResult } from "../core/submit.ts";
import { SYSTEM_TENANT, TENANT_NAME } from "../core/task-record.ts";
import { PoisonEvent } from "../core/errors.ts";

const pushedMessage = z.object({
  message: z.object({
    data: z.string().default(""),
    attributes: z.record(z.string(), z.string()).nullish(),
    messageId: z.string().optional(),
    message_id: z.string().optional(),
  }),
  subscription: z.string().optional(),
});

export interface EventsDeps {
  events: EventDefinition[];
  subscriptions: SubscriptionDefinition[];
  submit: (request: SubmitRequest) => Promise<SubmitResult>;
  log: Logger;
}

export function createEventsHandler(deps: EventsDeps) {
  const byTopic = new Map(deps.events.map((e) => [e.topic, e]));
  const byName = new Map(deps.events.map((e) => [e.name, e]));
  return async function handleEvent(cloudEvent: { data?: unknown; source?: string }): Promise<{ tasks: string[] }> {
    const pushed = pushedMessage.safeParse(cloudEvent.data);
    if (!pushed.success) throw new PoisonEvent("the CloudEvent carries no Pub/Sub message");
    const { message } = pushed.data;
    const attributes = message.attributes ?? {};
    const topic = cloudEvent.source?.split("/topics/")[1];
    const event = (attributes.type && byName.get(attributes.type)) || (topic ? byTopic.get(topic) : undefined);
    const messageId = message.messageId ?? message.message_id ?? "";
    if (!event) throw new PoisonEvent(`no event is declared for type "${attributes.type ?? ""}" / topic "${topic ?? ""}"`);
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.from(message.data, "base64").toString("utf8"));
    } catch {
      throw new PoisonEvent(`event ${event.name} (message ${messageId}) is not JSON`);
    }
    const data = event.schema.safeParse(raw);
    if (!data.success) throw new PoisonEvent(`event ${event.name} (message ${messageId}) does not match its schema: ${data.error.message}`);
    const eventId = attributes.event_id || messageId;
    // The tenant that posted the event through the API (the api sets it; only the platform's
    // service account may publish, by IAM); any other publisher's events are the platform's own.
    const tenant = attributes.tenant && TENANT_NAME.test(attributes.tenant) ? attributes.tenant : SYSTEM_TENANT;
    const tasks: string[] = [];
    for (const subscription of deps.subscriptions.filter((s) => s.event === event.name)) {
      const submitted = await deps.submit({
        type: subscription.task,
        origin: "platform",
        tenant,
        payload: subscription.toPayload(data.data),
        idempotencyKey: `event:${event.name}:${eventId}:${subscription.name}`,
      });
      tasks.push(submitted.taskId);
    }
    deps.log.info({ event: event.name, eventId, tenant, tasks }, "event dispatched");
    return { tasks };
  };
}
