// functions-framework parses bodies before our function runs, and express
// answers a malformed one with an HTML page. This puts our body limits in
// front of express (functions/api/body-gate.ts) and routes errors that never
// reach the function to our JSON error shape.
import express from "express";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, sendError } from "./http.ts";
import { admitBody, hasBody, type BodyLimits } from "./body-gate.ts";

interface BodyParserError { status?: number; statusCode?: number; type?: string; message?: string }

type Handle = (req: unknown, res: ServerResponse, callback?: (error?: unknown) => void) => void;

let installed = false;

/**
 * Hooks express (functions-framework's app): bodies pass `bodyLimits` before any
 * middleware reads them, and unhandled errors answer in our JSON shape.
 */
export function installJsonFinalHandler(bodyLimits?: () => Promise<BodyLimits>): void {
  if (installed) return;
  installed = true;
  const app = express.application as unknown as { handle: Handle };
  const handle = app.handle;
  app.handle = function (this: unknown, req, res, callback) {
    const done = callback ?? ((error?: unknown) => finalAnswer(res, error));
    const request = req as IncomingMessage;
    // Mounted sub-apps pass a callback and a body already admitted; requests without a body need no gate.
    if (!bodyLimits || callback || !hasBody(request)) return handle.call(this, req, res, done);
    bodyLimits()
      .then((limits) => admitBody(request, res, limits))
      .then((admitted) => admitted && handle.call(this, req, res, done), (error: unknown) => finalAnswer(res, error));
  };
}

function finalAnswer(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (!error) {
    sendError(res, new ApiError(404, "not_found", "no such route"));
    return;
  }
  const e = error as BodyParserError;
  const status = e.status ?? e.statusCode ?? 500;
  if (e.type === "entity.parse.failed") {
    sendError(res, new ApiError(400, "malformed_json", `the body is not valid JSON: ${e.message ?? "parse error"}`));
  } else if (e.type === "entity.too.large" || status === 413) {
    sendError(res, new ApiError(413, "payload_too_large", "the request body is too large"));
  } else if (status >= 400 && status < 500) {
    sendError(res, new ApiError(status, "bad_request", e.message ?? "bad request"));
  } else {
    sendError(res, new ApiError(500, "internal", "internal error"));
  }
}
