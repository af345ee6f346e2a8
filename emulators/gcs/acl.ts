// The emulator models access control as one flag, "readable by allUsers",
// on a bucket or an object: enough for public URLs to work or be refused.
// It is set by `predefinedAcl=publicRead` (XML: `x-goog-acl: public-read`) or
// by adding an `allUsers` entry (`file.makePublic()`, `bucket.makePublic()`).
import type { RequestContext } from "./context.ts";
import { GcsError } from "./errors.ts";
import { readJsonObject, sendJson, sendNoContent } from "./http-io.ts";

/** true / false for the predefined ACLs that decide it, undefined for "leave as it is". */
export function publicFromPredefinedAcl(value: string | null | undefined): boolean | undefined {
  if (value === null || value === undefined) return undefined;
  return value === "publicRead" || value === "public-read" || value === "publicReadWrite" || value === "public-read-write";
}

/** `/b/{bucket}/acl…`, `/b/{bucket}/defaultObjectAcl…` and `/b/{bucket}/o/{object}/acl…`; `entity` is the segment after `acl`. */
export async function handleAcl(ctx: RequestContext, bucket: string, object: string | undefined, entity: string | undefined): Promise<void> {
  const read = () => (object === undefined ? ctx.store.getBucket(bucket).publicRead : ctx.store.getObject(bucket, object).record.publicRead);
  const write = (publicRead: boolean) => {
    if (object === undefined) ctx.store.updateBucket(bucket, () => ({ publicRead }));
    else ctx.store.updateObject(bucket, object, (record) => ({ ...record, publicRead }));
  };
  const entry = (role: string, name = "allUsers") => ({
    kind: object === undefined ? "storage#bucketAccessControl" : "storage#objectAccessControl",
    bucket,
    ...(object === undefined ? {} : { object }),
    entity: name,
    role,
  });
  switch (ctx.req.method) {
    case "GET": {
      if (entity === undefined) {
        const kind = object === undefined ? "storage#bucketAccessControls" : "storage#objectAccessControls";
        sendJson(ctx.res, 200, { kind, items: read() ? [entry("READER")] : [] });
      } else if (entity === "allUsers" && read()) {
        sendJson(ctx.res, 200, entry("READER"));
      } else {
        throw new GcsError(404, "notFound", `No ACL entry for ${entity}`);
      }
      return;
    }
    case "POST":
    case "PUT":
    case "PATCH": {
      const body = await readJsonObject(ctx.req);
      const name = typeof body.entity === "string" ? body.entity : entity;
      const role = typeof body.role === "string" ? body.role : "READER";
      if (name === "allUsers") write(true);
      sendJson(ctx.res, 200, entry(role, name));
      return;
    }
    case "DELETE":
      if (entity === "allUsers") write(false);
      sendNoContent(ctx.res);
      return;
    default:
      throw new GcsError(405, "methodNotAllowed", `${ctx.req.method} is not supported on ACLs`);
  }
}
