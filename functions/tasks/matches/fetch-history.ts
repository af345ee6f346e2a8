// matches.fetch_history: a player's most recent match ids.
import { z } from "zod";
import { defineTask } from "../../core/task-kit.ts";
import { platformRegion, routingOf } from "./regions.ts";
import { historyCount, matchId, matchTaskSettings, puuid } from "./schemas.ts";
import { gameApi } from "./ports.ts";

export const fetchMatchHistory = defineTask({
  name: "matches.fetch_history",
  description: "List a player's most recent match ids (newest first)",
  ...matchTaskSettings,
  uses: { gameApi },
  input: z.strictObject({
    puuid,
    region: platformRegion,
    count: historyCount.default(20),
  }),
  output: z.object({ match_ids: z.array(matchId) }),
  handler: async (input, ctx) => {
    const ids = await ctx.gameApi.matchIdsByPuuid(routingOf(input.region), input.puuid, { count: input.count }, ctx.signal);
    return { match_ids: ids };
  },
});
