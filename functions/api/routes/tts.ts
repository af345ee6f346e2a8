// The source note's endpoints, thin aliases over the general API: POST /tts
// submits tts.generate (through the same path as POST /v1/tasks) and
// GET /tts/status/{task_id} reads it back in the note's shape.
import { publicError } from "../../core/task-record.ts";
import { z } from "zod";
import { ApiError, jsonBody, sendJson } from "../../http/json.ts";
import { callerOf, parseOrThrow } from "./tasks.ts";
import { requestFingerprint } from "../fingerprint.ts";
import { sees, tenantQuery } from "../tenancy.ts";
import { generateSpeech, language, ttsFields } from "../../tasks/tts/index.ts";
import type { ApiDeps } from "../deps.ts";
import type { Route } from "../router.ts";
import { ttsAccepted, ttsStatus } from "../answers.ts";

const TASK_TYPE = generateSpeech.name;

const ttsBody = z.strictObject({
  ...ttsFields,
  lang: language.optional(),
  /** The note's name for lang. */
  lang_code: language.optional(),
});

export function ttsRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: "POST", path: "/tts", scope: "submit", summary: "Text to speech (tts.generate); poll poll_url", operationId: "submitSpeech",
      doc: { body: ttsBody, responses: { 202: ttsAccepted }, headers: [{ name: "Idempotency-Key", description: "same key, same task" }] },
      async handle(ctx) {
        const { req, res } = ctx;
        const caller = callerOf(ctx);
        const { lang_code: langCode, lang, ...fields } = parseOrThrow(ttsBody, jsonBody(req) ?? {});
        if (lang && langCode && lang.toLowerCase() !== langCode.toLowerCase()) {
          throw new ApiError(400, "validation_failed", `lang "${lang}" and lang_code "${langCode}" disagree; give one`, {
            fields: [{ path: "lang_code", message: "disagrees with lang" }],
          });
        }
        const header = req.headers["idempotency-key"];
        const payload = { ...fields, lang: lang ?? langCode ?? "vi" };
        const submitted = await deps.submit({
          type: TASK_TYPE,
          tenant: caller.tenant,
          payload,
          ...(typeof header === "string" && header ? { idempotencyKey: header, idempotencyScope: "tts", requestFingerprint: requestFingerprint(payload) } : {}),
        });
        sendJson(res, 202, { task_id: submitted.taskId, status: submitted.status, poll_url: `${deps.publicBaseUrl}/tts/status/${submitted.taskId}` });
      },
    },
    {
      method: "GET", path: "/tts/status/{task_id}", scope: "read", summary: "Status, progress and (on SUCCESS) result of a TTS task", operationId: "getSpeechStatus",
      doc: { query: tenantQuery, responses: { 200: ttsStatus } },
      async handle(ctx) {
        const { res, params } = ctx;
        const task = await deps.store.detail(params.task_id!);
        if (!task || task.type !== TASK_TYPE || !sees(callerOf(ctx), ctx.query, task.tenant)) throw new ApiError(404, "not_found", `no TTS task ${params.task_id} (unknown, or its result expired)`);
        const finished = task.status === "FAILURE" || task.status === "REVOKED";
        sendJson(res, 200, {
          task_id: task.id,
          status: task.status,
          progress: task.progress,
          message: task.message,
          ...(task.status === "SUCCESS" && task.result ? { result: deps.cipher.open(JSON.parse(task.result)) } : {}),
          ...(finished ? { error: task.error ? publicError(task.error) : null } : {}),
        });
      },
    },
  ];
}
