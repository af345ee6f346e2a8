// /v1/groups: group, chain and chord submitted as one JSON tree.
import { ApiError, iso, jsonBody, sendJson } from "../../http/json.ts";
import { callerOf, parseOrThrow } from "./tasks.ts";
import { sees, tenantParam, tenantQuery } from "../tenancy.ts";
import { presentTask } from "../present.ts";
import { groupSpec, groupState, submitGroup, type GroupDeps } from "../../core/groups.ts";
import { transportQueueName } from "../../core/queues.ts";
import { chainStepRefusal, chordCallbackRefusal } from "../../core/group-checks.ts";
import type { ApiDeps } from "../deps.ts";
import type { Route, RouteContext } from "../router.ts";
import { z } from "zod";
import { groupAccepted, groupCancelled, groupView } from "../answers.ts";

const groupQuery = z.object({
  tenant: tenantParam,
  offset: z.coerce.number().int().min(0).default(0).describe("first member to show (pages of 1000)"),
  results: z.enum(["true", "false"]).default("false").describe("include each member's result (group and chain)"),
});

const PAGE = 1000;

export function groupRoutes(deps: ApiDeps, groupDeps: () => GroupDeps): Route[] {
  // Another tenant's group is as absent as one that never existed.
  const found = async (ctx: RouteContext, id: string) => {
    const group = await groupDeps().groups.get(id);
    if (!group || !sees(callerOf(ctx), ctx.query, group.tenant)) throw new ApiError(404, "not_found", `no group ${id}`);
    return group;
  };
  return [
    {
      method: "POST", path: "/v1/groups", scope: "submit", summary: "Submit a group, chain or chord", operationId: "submitGroup",
      doc: { body: groupSpec, responses: { 202: groupAccepted, 207: groupAccepted } },
      async handle(ctx) {
        const { req, res } = ctx;
        const spec = parseOrThrow(groupSpec, jsonBody(req) ?? {});
        // Every member is checked before anything is written: a bad member refuses the whole tree.
        const members = [...spec.tasks, ...(spec.kind === "chord" ? [spec.callback] : [])];
        members.forEach((m, i) => {
          const task = deps.registry.callerTask(m.type);
          if (!task) throw new ApiError(400, "unknown_type", `tasks[${i}]: unknown task type "${m.type}"`, { known_types: deps.registry.callerTaskTypes() });
          // A chain step after the first gets the previous result; a chord callback gets the results: where the
          // schemas say it can never accept them, refuse now (at run time the group would end FAILURE).
          if (spec.kind === "chain" && i > 0) {
            const refusal = chainStepRefusal(deps.registry.task(spec.tasks[i - 1]!.type)!, task, m);
            if (refusal) throw new ApiError(400, "validation_failed", `tasks[${i}]: ${refusal}`);
            return;
          }
          if (spec.kind === "chord" && i === spec.tasks.length) {
            const refusal = chordCallbackRefusal(task, m);
            if (refusal) throw new ApiError(400, "validation_failed", `callback: ${refusal}`);
            return;
          }
          const parsed = task.input.safeParse(m.payload ?? {});
          if (!parsed.success) throw new ApiError(400, "validation_failed", `tasks[${i}].payload does not match ${m.type}: ${parsed.error.issues.map((x: { path: PropertyKey[]; message: string }) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
        });
        const group = await submitGroup(groupDeps(), spec, { tenant: callerOf(ctx).tenant });
        sendJson(res, group.submitErrors ? 207 : 202, {
          group_id: group.id, kind: group.kind, total: group.total, submitted: group.submitted, submit_errors: group.submitErrors,
          poll_url: `${deps.publicBaseUrl}/v1/groups/${group.id}`,
        });
      },
    },
    {
      method: "GET", path: "/v1/groups/{id}", scope: "read", summary: "A group's state, done/total and member states", operationId: "getGroup",
      doc: { query: groupQuery, responses: { 200: groupView } },
      async handle(ctx) {
        const { res, params, query } = ctx;
        const group = await found(ctx, params.id!);
        const q = parseOrThrow(groupQuery, Object.fromEntries(query));
        const offset = q.offset;
        const ids = await groupDeps().groups.members(group.id, offset, Math.min(PAGE, group.total - offset));
        const members = await Promise.all(ids.map((id) => deps.store.summary(id)));
        const callback = group.callbackTaskId ? await deps.store.summary(group.callbackTaskId) : null;
        const withResults = q.results === "true" && group.kind !== "chord" ? await groupDeps().groups.results(ids) : null;
        sendJson(res, 200, {
          group_id: group.id,
          kind: group.kind,
          state: groupState(group, callback),
          done: group.done,
          total: group.total,
          succeeded: group.succeeded,
          failed: group.failed,
          revoked: group.revoked,
          submitted: group.submitted,
          submit_errors: group.submitErrors,
          error: group.error ?? null,
          created_at: iso(group.createdAt),
          callback: callback ? presentTask(callback) : null,
          members: members.map((m, i) => (m ? { index: offset + i, ...presentTask(m), ...(withResults ? { result: deps.cipher.open(withResults[i]) } : {}) } : { index: offset + i, task_id: ids[i], status: "EXPIRED" })),
          next_offset: offset + ids.length < group.total && ids.length > 0 ? offset + ids.length : null,
        });
      },
    },
    {
      method: "POST", path: "/v1/groups/{id}/cancel", scope: "submit", summary: "Revoke the queued members, signal the running ones", operationId: "cancelGroup",
      doc: { query: tenantQuery, responses: { 200: groupCancelled } },
      async handle(ctx) {
        const { res, params } = ctx;
        const group = await found(ctx, params.id!);
        await groupDeps().groups.update(group.id, { cancelled: true });
        const counts = { revoked: 0, signalled: 0, finished: 0 };
        for (let start = 0; start < group.total; start += 100) {
          const ids = await groupDeps().groups.members(group.id, start, Math.min(100, group.total - start));
          await Promise.all(ids.map(async (id) => {
            const outcome = await deps.store.revoke(id, true, 3600);
            if (outcome.kind === "revoked") {
              counts.revoked += 1;
              const queue = deps.registry.queues.get(outcome.queue);
              if (queue) await deps.queue.delete(transportQueueName(queue, outcome.priority), outcome.cloudTask).catch(() => false);
            } else if (outcome.kind === "signalled") counts.signalled += 1;
            else counts.finished += 1;
          }));
        }
        sendJson(res, 200, { group_id: group.id, state: "REVOKED", ...counts });
      },
    },
  ];
}
