// POST /v1/events/{type}: validate a domain event and publish it to its topic.
import { createHash } from "node:crypto";
import { ApiError, jsonBody, sendJson } from "../http.ts";
import { parseOrThrow } from "./tasks.ts";
import type { EventDefinition } from "../../core/define-event.ts";
import type { EventBus } from "../../core/ports.ts";
import type { Route } from "../router.ts";
import { z } from "zod";
import { eventPublished } from "../answers.ts";

export function eventRoutes(events: EventDefinition[], bus: () => EventBus): Route[] {
  const byName = new Map(events.map((e) => [e.name, e]));
  return [
    {
      method: "POST", path: "/v1/events/{type}", scope: "submit", summary: "Publish a domain event (e.g. query.completed)", operationId: "publishEvent",
      doc: {
        params: z.object({ type: z.enum(events.map((e) => e.name)) }),
        body: z.union(events.map((e) => e.schema.describe(`${e.name}: ${e.description}`))),
        responses: { 202: eventPublished },
        headers: [{ name: "Idempotency-Key", description: "the event id: the same id publishes once (default: a hash of the event)" }],
      },
      async handle({ req, res, params }) {
        const event = byName.get(params.type!);
        if (!event) throw new ApiError(404, "not_found", `no event type "${params.type}"`, { known_events: [...byName.keys()] });
        const data = parseOrThrow(event.schema, jsonBody(req) ?? {}, "data");
        const header = req.headers["idempotency-key"];
        // The same event published twice is one event: its id is the caller's key, or its content.
        const eventId = typeof header === "string" && header ? header : createHash("sha256").update(`${event.name}\n${JSON.stringify(data)}`).digest("hex").slice(0, 32);
        const messageId = await bus().publish(event.topic, data, { type: event.name, event_id: eventId });
        sendJson(res, 202, { event: event.name, event_id: eventId, message_id: messageId, topic: event.topic });
      },
    },
  ];
}
