// POST /v1/uploads: how an image gets into storage for a media task, without
// travelling through a task body. Either a signed PUT URL for the client to
// upload to directly (JSON body {content_type}), or the bytes themselves
// (Content-Type image/png|jpeg|webp), size-capped. Both answer a gs:// URI to
// pass as the task's image field.
import { z } from "zod";
import { ApiError, jsonBody, sendJson, type ApiRequest } from "../../http/json.ts";
import { callerOf, parseOrThrow } from "./tasks.ts";
import { usePorts } from "../../core/port.ts";
import { IMAGE_CONTENT_TYPES, signUpload, sniffImageType, storeUpload, uploadLimitBytes, uploadUses, type ImageContentType } from "../../tasks/media/index.ts";
import type { ApiDeps } from "../deps.ts";
import type { Route } from "../router.ts";
import { signedUpload, uploadStored } from "../answers.ts";

/** Lifetime of a signed upload URL. */
const UPLOAD_URL_SECONDS = 900;

const signedUploadBody = z.strictObject({ content_type: z.enum(IMAGE_CONTENT_TYPES) });

const mediaType = (req: ApiRequest): string => String(req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
const isImageType = (type: string): type is ImageContentType => (IMAGE_CONTENT_TYPES as readonly string[]).includes(type);

export function uploadRoutes(deps: ApiDeps): Route[] {
  const ports = usePorts(uploadUses, deps.ports);
  return [
    {
      method: "POST", path: "/v1/uploads", scope: "submit",
      summary: "Upload an image for a media task: JSON {content_type} → signed PUT URL; or the image bytes (image/png|jpeg|webp) → gs:// URI",
      operationId: "uploadImage",
      doc: { body: signedUploadBody, rawBodies: IMAGE_CONTENT_TYPES, responses: { 200: signedUpload, 201: uploadStored }, errors: [415] },
      async handle(ctx) {
        const { req, res } = ctx;
        const { tenant } = callerOf(ctx);
        const type = mediaType(req);
        const maxBytes = uploadLimitBytes(ports);
        if (type === "application/json") {
          const body = parseOrThrow(signedUploadBody, jsonBody(req) ?? {});
          const upload = await signUpload(ports, tenant, body.content_type, UPLOAD_URL_SECONDS);
          sendJson(res, 200, {
            upload_url: upload.uploadUrl,
            method: "PUT",
            headers: { "Content-Type": body.content_type },
            gs_uri: upload.gsUri,
            expires_at: new Date(Date.now() + UPLOAD_URL_SECONDS * 1000).toISOString(),
            max_bytes: maxBytes,
          });
          return;
        }
        if (!isImageType(type)) {
          throw new ApiError(415, "unsupported_media_type", `Content-Type must be application/json (for a signed upload URL) or one of ${IMAGE_CONTENT_TYPES.join(", ")}; got ${type || "none"}`, {
            field: "Content-Type",
            accepted: ["application/json", ...IMAGE_CONTENT_TYPES],
          });
        }
        const declared = Number(req.headers["content-length"]);
        const data = req.rawBody ?? (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
        const size = Math.max(data.length, Number.isFinite(declared) ? declared : 0);
        if (size > maxBytes) {
          throw new ApiError(413, "payload_too_large", `the image is ${size} bytes; uploads may be at most ${maxBytes} bytes`, { field: "body", limit_bytes: maxBytes });
        }
        if (data.length === 0) throw new ApiError(400, "validation_failed", "the body is empty; send the image bytes", { fields: [{ path: "body", message: "empty" }] });
        const sniffed = sniffImageType(data);
        if (sniffed !== type) {
          const message = `Content-Type says ${type} but the body is ${sniffed ?? "not a png, jpeg or webp image"}`;
          throw new ApiError(400, "validation_failed", message, { fields: [{ path: "body", message }] });
        }
        const stored = await storeUpload(ports, tenant, type, data);
        sendJson(res, 201, { gs_uri: stored.uri, bytes: stored.bytes, content_type: type });
      },
    },
  ];
}
