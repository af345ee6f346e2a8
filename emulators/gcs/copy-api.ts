// Server-side copies: `copyTo`, `rewriteTo` (what `file.copy()` uses; always
// done in one call here) and `compose`.
import { publicFromPredefinedAcl } from "./acl.ts";
import { patchAttributes, replaceAttributes } from "./attributes.ts";
import type { RequestContext } from "./context.ts";
import { GcsError, badRequest } from "./errors.ts";
import { readJsonObject, sendJson } from "./http-io.ts";
import { checkPreconditions, preconditionsFromQuery } from "./preconditions.ts";
import { attributesOf, objectResource } from "./records.ts";

/** The real service allows at most 32 sources per compose. */
const maxComposeSources = 32;

export async function handleCopy(
  ctx: RequestContext,
  kind: "copyTo" | "rewriteTo",
  source: { bucket: string; name: string },
  destination: { bucket: string; name: string },
): Promise<void> {
  const { url, store } = ctx;
  const stored = store.getObject(source.bucket, source.name, url.searchParams.get("sourceGeneration"));
  const sourceGenerationMatch = url.searchParams.get("ifSourceGenerationMatch");
  if (sourceGenerationMatch !== null) checkPreconditions(stored.record, { ifGenerationMatch: sourceGenerationMatch });
  // Metadata in the body overrides the source's; what it leaves out is copied.
  const body = await readJsonObject(ctx.req);
  const publicRead = publicFromPredefinedAcl(url.searchParams.get("destinationPredefinedAcl"));
  const record = store.writeObject({
    ...destination,
    data: stored.data,
    attributes: patchAttributes(attributesOf(stored.record), body),
    publicRead: publicRead ?? false,
    preconditions: preconditionsFromQuery(url.searchParams),
  });
  const resource = objectResource(record, ctx.baseUrl);
  if (kind === "copyTo") {
    sendJson(ctx.res, 200, resource);
    return;
  }
  sendJson(ctx.res, 200, {
    kind: "storage#rewriteResponse",
    totalBytesRewritten: String(record.size),
    objectSize: String(record.size),
    done: true,
    resource,
  });
}

export async function handleCompose(ctx: RequestContext, bucket: string, name: string): Promise<void> {
  if (ctx.req.method !== "POST") throw new GcsError(405, "methodNotAllowed", "compose takes POST");
  const body = await readJsonObject(ctx.req);
  const sources = body.sourceObjects;
  if (!Array.isArray(sources) || sources.length === 0) throw new GcsError(400, "required", "Required: sourceObjects");
  if (sources.length > maxComposeSources) throw badRequest(`At most ${maxComposeSources} source objects may be composed`);
  const parts = sources.map((source: unknown) => {
    const { name: sourceName, generation, objectPreconditions } = (source ?? {}) as Record<string, unknown>;
    if (typeof sourceName !== "string") throw new GcsError(400, "required", "Required: sourceObjects[].name");
    const stored = ctx.store.getObject(bucket, sourceName, generation === undefined ? undefined : String(generation));
    const match = (objectPreconditions as { ifGenerationMatch?: unknown } | undefined)?.ifGenerationMatch;
    if (match !== undefined) checkPreconditions(stored.record, { ifGenerationMatch: String(match) });
    return stored.data;
  });
  const destination = (body.destination ?? {}) as Record<string, unknown>;
  const record = ctx.store.writeObject({
    bucket,
    name,
    data: Buffer.concat(parts),
    attributes: replaceAttributes(destination),
    publicRead: publicFromPredefinedAcl(ctx.url.searchParams.get("destinationPredefinedAcl")) ?? false,
    preconditions: preconditionsFromQuery(ctx.url.searchParams),
  });
  sendJson(ctx.res, 200, objectResource(record, ctx.baseUrl));
}
