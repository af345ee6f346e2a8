// What the query.completed event hands user.update_statistics must pass its schema.
import { describe, expect, it } from "vitest";
import { subscriptions } from "../../events/declarations.ts";
import { updateStatistics } from "./update-statistics.ts";

describe("query.completed → user.update_statistics", () => {
  it("builds a payload the task accepts, one query per event", () => {
    const subscription = subscriptions.find((s) => s.task === "user.update_statistics");
    expect(subscription).toBeDefined();
    const payload = subscription!.toPayload({
      user_id: "u1", conversation_id: "c1", message_id: "m1", query: "q", answer: "a", sources: [], tokens_used: 150, processing_time_ms: 1200.5,
    });
    expect(updateStatistics.input.parse(payload)).toEqual({ user_id: "u1", tokens_used: 150, processing_time_ms: 1200.5, queries: 1 });
  });
});
