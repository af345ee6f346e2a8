// matches.batch_fetch: many matches at once, given as ids or as a player's
// recent history; one matches.fetch_and_store child per match, so each is
// retried, rate-limited and cached on its own.
import { z } from "zod";
import { defineTask, type TaskContext } from "../../core/task-kit.ts";
import { fetchAndStoreMatch } from "./fetch-and-store.ts";
import { platformRegion, routingOf, type PlatformRegion } from "./regions.ts";
import { historyCount, matchId, matchTaskSettings, puuid } from "./schemas.ts";
import { gameApi } from "./ports.ts";

/**
 * Starts one fetch_and_store per match, as one group: its progress is
 * GET /v1/groups/{group_id}. A retried batch submits the same group again (the
 * idempotency key derives the group id), finding the members already created.
 */
async function fanOut(ctx: TaskContext, matchIds: readonly string[], region: PlatformRegion): Promise<{ group_id: string; task_ids: string[]; count: number }> {
  const tasks = matchIds.map((id) => ({ type: fetchAndStoreMatch.name, payload: { match_id: id, region } }));
  const group = await ctx.enqueueGroup({ kind: "group", tasks }, { idempotencyKey: "batch" });
  await ctx.progress(100, `${group.taskIds.length}/${matchIds.length} fetches submitted as group ${group.groupId}`);
  return { group_id: group.groupId, task_ids: group.taskIds, count: group.taskIds.length };
}

export const batchFetchMatches = defineTask({
  name: "matches.batch_fetch",
  description: "Fetch and store many matches, given by id or as a player's recent history: one matches.fetch_and_store per match",
  ...matchTaskSettings,
  uses: { gameApi },
  input: z
    .strictObject({
      match_ids: z.array(matchId).min(1).max(100).optional(),
      puuid: puuid.optional(),
      region: platformRegion,
      count: historyCount.optional(),
    })
    .superRefine((input, ctx) => {
      if ((input.match_ids === undefined) === (input.puuid === undefined)) {
        ctx.addIssue({ code: "custom", path: ["match_ids"], message: "give match_ids, or puuid (and count), not both" });
      }
      if (input.count !== undefined && input.puuid === undefined) {
        ctx.addIssue({ code: "custom", path: ["count"], message: "count goes with puuid" });
      }
    }),
  output: z.object({
    /** The group of children: GET /v1/groups/{group_id} shows done/total. */
    group_id: z.string(),
    /** One child task per match, in the order of match_ids. */
    task_ids: z.array(z.string()),
    match_ids: z.array(z.string()),
    count: z.number().int(),
  }),
  handler: async (input, ctx) => {
    const ids = input.match_ids
      ? [...new Set(input.match_ids)]
      : await ctx.gameApi.matchIdsByPuuid(routingOf(input.region), input.puuid as string, { count: input.count ?? 20 }, ctx.signal);
    await ctx.progress(10, `${ids.length} matches`);
    const children = await fanOut(ctx, ids, input.region);
    return { ...children, match_ids: ids };
  },
});
