// Answers in one shape: JSON, snake_case, errors as {error: {code, message, details?}}.
import type { IncomingMessage, ServerResponse } from "node:http";

export const ErrorCode = [
  "bad_request", "malformed_json", "validation_failed", "unknown_type", "invalid_schedule", "unauthorized", "forbidden",
  "not_found", "method_not_allowed", "conflict", "idempotency_key_reused", "payload_too_large", "unsupported_media_type", "json_too_deep", "rate_limited", "over_quota", "unavailable", "internal",
] as const;
export type ErrorCode = (typeof ErrorCode)[number];

export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;
  constructor(status: number, code: ErrorCode, message: string, details?: Record<string, unknown>, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(
    res,
    error.status,
    { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
    error.headers,
  );
}

/** The request as functions-framework hands it over (express, body already parsed). */
export interface ApiRequest extends IncomingMessage {
  body?: unknown;
  rawBody?: Buffer;
  query?: Record<string, unknown>;
}

/** The JSON body: functions-framework parsed it when the content type said JSON; otherwise parse it here. */
export function jsonBody(req: ApiRequest): unknown {
  const raw = req.rawBody;
  if (!raw || raw.length === 0) {
    if (req.body && typeof req.body === "object" && !Buffer.isBuffer(req.body) && Object.keys(req.body).length > 0) return req.body;
    return undefined;
  }
  if (req.body && typeof req.body === "object" && !Buffer.isBuffer(req.body)) return req.body;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new ApiError(400, "malformed_json", `the body is not valid JSON: ${(error as Error).message}`);
  }
}

export const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
