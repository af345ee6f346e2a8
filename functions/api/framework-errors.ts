// functions-framework parses JSON bodies before our function runs, and express
// answers a malformed one with an HTML page. This routes those errors (and
// anything else that never reaches the function) to our JSON error shape.
import express from "express";
import type { ServerResponse } from "node:http";
import { ApiError, sendError } from "./http.ts";

interface BodyParserError { status?: number; statusCode?: number; type?: string; message?: string }

type Handle = (req: unknown, res: ServerResponse, callback?: (error?: unknown) => void) => void;

let installed = false;

export function installJsonFinalHandler(): void {
  if (installed) return;
  installed = true;
  const app = express.application as unknown as { handle: Handle };
  const handle = app.handle;
  app.handle = function (this: unknown, req, res, callback) {
    return handle.call(this, req, res, callback ?? ((error?: unknown) => finalAnswer(res, error)));
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
