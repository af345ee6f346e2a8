// Domain events on Pub/Sub: an event type has a schema and a topic; each
// subscription turns one event into one task.
import type { z } from "zod";

/** N keeps the literal name, so the typed client (client/) can key events by name. */
export interface EventDefinition<S extends z.ZodType = z.ZodType, N extends string = string> {
  /** Dotted: "query.completed". */
  name: N;
  /** Pub/Sub topic id. Default: the name with dots as hyphens, e.g. "query-completed". */
  topic: string;
  schema: S;
  description: string;
}

export interface SubscriptionDefinition {
  /** Unique per event, e.g. "notify-user". */
  name: string;
  event: string;
  task: string;
  /** Builds the task's payload from the event's data. */
  toPayload: (data: unknown) => unknown;
}

const EVENT_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export function defineEvent<S extends z.ZodType, const N extends string>(options: { name: N; schema: S; description?: string; topic?: string }): EventDefinition<S, N> {
  if (!EVENT_NAME.test(options.name)) throw new Error(`event name "${options.name}" must be dotted lowercase`);
  return { name: options.name, topic: options.topic ?? options.name.replaceAll(".", "-").replaceAll("_", "-"), schema: options.schema, description: options.description ?? "" };
}

export function defineSubscription<E extends z.ZodType>(event: EventDefinition<E>, options: { name: string; task: string; toPayload: (data: z.output<E>) => unknown }): SubscriptionDefinition {
  return { name: options.name, event: event.name, task: options.task, toPayload: options.toPayload as (data: unknown) => unknown };
}
