// POST /v1/events/{type}: validate a domain event and publish it to its topic.
import { ApiError, jsonBody, sendJson } from "../../http/json.ts";
import { callerOf, parseOrThrow } from "./tasks.ts";
import { requestFingerprint } from "../fingerprint.ts";
import type { EventDefinition } from "../../core/define-event.ts";
import type { EventBus, KeyValueStore } from "../../core/ports.ts";
import type { Route } from "../router.ts";
import { z } from "zod";
import { eventPublished } from "../answers.ts";

/** How long an event's Idempotency-Key remembers the event it named. */
const EVENT_KEY_TTL_S = 24 * 3600;

export function eventRoutes(events: EventDefinition[], bus: () => EventBus, kv: () => KeyValueStore): Route[] {
  const byName = new Map(events.map((e) => [e.name, e]));
  /** The same key with another event is refused, as POST /v1/tasks does; keys are per tenant. */
  const refuseReusedKey = async (tenant: string, event: string, key: string, fingerprint: string) => {
    const slot = `events:idem:${requestFingerprint([tenant, event, key])}`;
    if (await kv().set(slot, fingerprint, { ttlSeconds: EVENT_KEY_TTL_S, onlyIfAbsent: true })) return;
    const first = await kv().get<string>(slot);
    if (first !== null && first !== fingerprint) {
      throw new ApiError(409, "idempotency_key_reused", `Idempotency-Key "${key}" was used for a different ${event} event`);
    }
  };
  return [
    {
      method: "POST", path: "/v1/events/{type}", scope: "submit", summary: "Publish a domain event (e.g. query.completed)", operationId: "publishEvent",
      doc: {
        params: z.object({ type: z.enum(events.map((e) => e.name)) }),
        body: z.union(events.map((e) => e.schema.describe(`${e.name}: ${e.description}`))),
        responses: { 202: eventPublished },
        headers: [{ name: "Idempotency-Key", description: "the event id: the same id publishes once (default: a hash of the event)" }],
      },
      async handle(ctx) {
        const { req, res, params } = ctx;
        const caller = callerOf(ctx);
        const event = byName.get(params.type!);
        if (!event) throw new ApiError(404, "not_found", `no event type "${params.type}"`, { known_events: [...byName.keys()] });
        const data = parseOrThrow(event.schema, jsonBody(req) ?? {}, "data");
        const header = req.headers["idempotency-key"];
        // The same event published twice is one event: its id is the caller's key, or its content.
        const fingerprint = requestFingerprint({ event: event.name, data });
        const eventId = typeof header === "string" && header ? header : fingerprint.slice(0, 32);
        if (typeof header === "string" && header) await refuseReusedKey(caller.tenant, event.name, header, fingerprint);
        // Published again on a replay: the tasks it starts are idempotent on (tenant, event id), so nothing runs twice,
        // and a first attempt that died before publishing is not lost.
        const messageId = await bus().publish(event.topic, data, { type: event.name, event_id: eventId, tenant: caller.tenant });
        sendJson(res, 202, { event: event.name, event_id: eventId, message_id: messageId, topic: event.topic });
      },
    },
  ];
}
