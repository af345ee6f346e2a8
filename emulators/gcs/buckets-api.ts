// JSON API bucket resources: `/storage/v1/b` and `/storage/v1/b/{bucket}`.
import { publicFromPredefinedAcl } from "./acl.ts";
import type { RequestContext } from "./context.ts";
import { GcsError, badRequest } from "./errors.ts";
import { readJsonObject, sendJson, sendNoContent } from "./http-io.ts";
import { decodePageToken, encodePageToken } from "./listing.ts";
import { bucketResource } from "./records.ts";
import { compareNames } from "./store.ts";

export async function handleBucketCollection(ctx: RequestContext): Promise<void> {
  const { req, res, url, store } = ctx;
  if (req.method === "POST") {
    const body = await readJsonObject(req);
    if (typeof body.name !== "string") throw new GcsError(400, "required", "Required: bucket name");
    const publicRead =
      publicFromPredefinedAcl(url.searchParams.get("predefinedAcl")) ||
      publicFromPredefinedAcl(url.searchParams.get("predefinedDefaultObjectAcl"));
    const record = store.createBucket(body.name, { labels: labelsPatch({}, body.labels), publicRead: publicRead ?? false });
    sendJson(res, 200, bucketResource(record, ctx.baseUrl));
    return;
  }
  if (req.method !== "GET") throw new GcsError(405, "methodNotAllowed", `${req.method} is not supported on /b`);
  // Every bucket belongs to every project here: `project` is accepted and ignored.
  const prefix = url.searchParams.get("prefix") ?? "";
  const maxResults = Number(url.searchParams.get("maxResults") ?? 1000);
  const pageToken = url.searchParams.get("pageToken");
  const after = pageToken === null ? undefined : decodePageToken(pageToken);
  const matching = store
    .listBuckets()
    .filter((bucket) => bucket.name.startsWith(prefix) && (after === undefined || compareNames(bucket.name, after) > 0));
  const page = matching.slice(0, maxResults);
  const last = page.at(-1);
  sendJson(res, 200, {
    kind: "storage#buckets",
    items: page.map((bucket) => bucketResource(bucket, ctx.baseUrl)),
    ...(matching.length > page.length && last ? { nextPageToken: encodePageToken(last.name) } : {}),
  });
}

export async function handleBucket(ctx: RequestContext, bucket: string): Promise<void> {
  const { req, res, store } = ctx;
  switch (req.method) {
    case "GET":
      sendJson(res, 200, bucketResource(store.getBucket(bucket), ctx.baseUrl));
      return;
    case "PATCH":
    case "PUT": {
      const body = await readJsonObject(req);
      const publicRead = publicFromPredefinedAcl(ctx.url.searchParams.get("predefinedAcl"));
      const record = store.updateBucket(bucket, (current) => ({
        labels: "labels" in body ? labelsPatch(req.method === "PUT" ? {} : current.labels, body.labels) : current.labels,
        ...(publicRead === undefined ? {} : { publicRead }),
      }));
      sendJson(res, 200, bucketResource(record, ctx.baseUrl));
      return;
    }
    case "DELETE":
      store.deleteBucket(bucket);
      sendNoContent(res);
      return;
    default:
      throw new GcsError(405, "methodNotAllowed", `${req.method} is not supported on a bucket`);
  }
}

/** Labels merge on PATCH; a null value removes one. */
function labelsPatch(current: Record<string, string>, patch: unknown): Record<string, string> {
  if (patch === undefined || patch === null) return {};
  if (typeof patch !== "object" || Array.isArray(patch)) throw badRequest("labels must be an object");
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = String(value);
  }
  return next;
}
