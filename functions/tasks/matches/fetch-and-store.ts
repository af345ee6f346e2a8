// matches.fetch_and_store: a match's details and timeline, fetched once and
// kept in Postgres. Timelines are the expensive call (megabytes, and each counts
// against the rate limit), so a stored match is never fetched again.
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import { platformRegion, routingOf } from "./regions.ts";
import { matchId, matchTaskSettings } from "./schemas.ts";
import { gameApi, matchStore } from "./ports.ts";

export const fetchAndStoreMatch = defineTask({
  name: "matches.fetch_and_store",
  description: "Fetch a match's details and timeline and store them, unless the match is stored already",
  ...matchTaskSettings,
  uses: { gameApi, matchStore },
  input: z.strictObject({
    match_id: matchId,
    region: platformRegion,
  }),
  output: z.discriminatedUnion("cached", [
    z.object({ match_id: z.string(), cached: z.literal(true) }),
    z.object({ match_id: z.string(), cached: z.literal(false), details_bytes: z.number().int(), timeline_bytes: z.number().int() }),
  ]),
  handler: async (input, ctx) => {
    if (await ctx.matchStore.exists(input.match_id)) return { match_id: input.match_id, cached: true as const };
    const routing = routingOf(input.region);
    await ctx.progress(10, "fetching details");
    const details = await ctx.gameApi.match(routing, input.match_id, ctx.signal);
    await ctx.progress(40, "fetching timeline");
    const timeline = await ctx.gameApi.timeline(routing, input.match_id, ctx.signal);
    await ctx.progress(80, "storing");
    await ctx.matchStore.save({ matchId: input.match_id, region: input.region, routing, details: details.json, timeline: timeline.json });
    return { match_id: input.match_id, cached: false as const, details_bytes: details.bytes, timeline_bytes: timeline.bytes };
  },
});
