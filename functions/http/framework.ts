// functions-framework parses bodies before our function runs, and express
// answers a malformed one with an HTML page. This puts our body limits in
// front of express (functions/http/body-gate.ts) and routes errors that never
// reach the function to our JSON error shape. An HTTP function may also be
// served directly (serveDirectly): past the body gate, the request goes to it
// without express's middleware chain and the framework's per-request domain,
// whose async hooks (enabled for the whole process once a domain exists) cost
// on every promise; the function answers in full itself.
import express from "express";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, sendError } from "./json.ts";
import { admitBody, hasBody, type BodyLimits } from "./body-gate.ts";

interface BodyParserError { status?: number; statusCode?: number; type?: string; message?: string }

type Handle = (req: unknown, res: ServerResponse, callback?: (error?: unknown) => void) => void;

let installed = false;
type HttpFunction = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
let direct: HttpFunction | null = null;
/** What the framework itself answers before any function (server.js): 404 with no body. */
const FRAMEWORK_PATHS = new Set(["/favicon.ico", "/robots.txt"]);

/**
 * Serves this process's HTTP function without express. Everything our functions read is node's own request
 * (headers, url, the body the gate parsed into rawBody/body) and they answer with writeHead/end, so the answers
 * are the same bytes. A rejection the function lets through answers 500 in our shape, as the domain did.
 */
export function serveDirectly(handler: HttpFunction): void {
  direct = handler;
}

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
    // Mounted sub-apps pass a callback and a body already admitted.
    if (callback) return handle.call(this, req, res, callback);
    const request = req as IncomingMessage;
    const fn = direct && !FRAMEWORK_PATHS.has((request.url ?? "/").split("?")[0]!) ? direct : null;
    const next = fn
      ? () => void fn(request, res).catch((error: unknown) => crashed(res, error))
      : () => handle.call(this, req, res, (error?: unknown) => finalAnswer(res, error));
    // Requests without a body need no gate.
    if (!bodyLimits || !hasBody(request)) return next();
    bodyLimits()
      .then((limits) => admitBody(request, res, limits))
      .then((admitted) => { if (admitted) next(); }, (error: unknown) => finalAnswer(res, error));
  };
}

function crashed(res: ServerResponse, error: unknown): void {
  console.error(JSON.stringify({ severity: "ERROR", message: `the function failed: ${error instanceof Error ? error.stack : String(error)}` }));
  finalAnswer(res, Object.assign(new Error("internal error"), { status: 500 }));
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
