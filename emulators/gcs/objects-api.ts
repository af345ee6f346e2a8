// JSON API object resources: listing, metadata, `alt=media` downloads, patch,
// update and delete, under `/storage/v1/b/{bucket}/o` (and `/download/storage/v1/…`).
import { publicFromPredefinedAcl } from "./acl.ts";
import { patchAttributes, replaceAttributes } from "./attributes.ts";
import type { RequestContext } from "./context.ts";
import { GcsError } from "./errors.ts";
import { readJsonObject, sendJson, sendNoContent } from "./http-io.ts";
import { listPage, listQueryFrom } from "./listing.ts";
import { sendMedia } from "./media.ts";
import { checkPreconditions, preconditionsFromQuery } from "./preconditions.ts";
import { objectResource } from "./records.ts";

export function handleObjectCollection(ctx: RequestContext, bucket: string): void {
  if (ctx.req.method !== "GET") {
    throw new GcsError(405, "methodNotAllowed", `${ctx.req.method} on /o: upload through /upload/storage/v1/b/${bucket}/o`);
  }
  const page = listPage(ctx.store.listObjects(bucket), listQueryFrom(ctx.url.searchParams));
  sendJson(ctx.res, 200, {
    kind: "storage#objects",
    ...(page.prefixes.length > 0 ? { prefixes: page.prefixes } : {}),
    ...(page.items.length > 0 ? { items: page.items.map((record) => objectResource(record, ctx.baseUrl)) } : {}),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  });
}

export async function handleObject(ctx: RequestContext, bucket: string, name: string): Promise<void> {
  const { req, res, url, store } = ctx;
  const preconditions = preconditionsFromQuery(url.searchParams);
  const generation = url.searchParams.get("generation");
  switch (req.method) {
    case "GET":
    case "HEAD": {
      const stored = store.getObject(bucket, name, generation);
      checkPreconditions(stored.record, preconditions);
      if (url.searchParams.get("alt") === "media") sendMedia(req, res, stored);
      else sendJson(res, 200, objectResource(stored.record, ctx.baseUrl));
      return;
    }
    case "PATCH":
    case "PUT": {
      store.getObject(bucket, name, generation);
      const body = await readJsonObject(req);
      const publicRead = publicFromPredefinedAcl(url.searchParams.get("predefinedAcl"));
      const record = store.updateObject(
        bucket,
        name,
        (current) => ({
          ...(req.method === "PATCH" ? patchAttributes(current, body) : replaceAttributes(body)),
          ...(publicRead === undefined ? {} : { publicRead }),
        }),
        preconditions,
      );
      sendJson(res, 200, objectResource(record, ctx.baseUrl));
      return;
    }
    case "DELETE":
      store.deleteObject(bucket, name, preconditions, generation);
      sendNoContent(res);
      return;
    default:
      throw new GcsError(405, "methodNotAllowed", `${req.method} is not supported on an object`);
  }
}
