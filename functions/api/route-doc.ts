// What OpenAPI says about a route, declared beside it: the same zod schemas the
// handler parses with, and the answers it gives. functions/api/openapi.ts renders it.
import type { z } from "zod";

export interface RouteDoc {
  /** The JSON body, when the route reads one: the schema its handler parses with. */
  body?: z.ZodType;
  /** Whether a body must be sent. Default: true unless the body schema accepts undefined. */
  bodyRequired?: boolean;
  /** Media types of a raw (non-JSON) body the route also takes, e.g. image bytes. */
  rawBodies?: readonly string[];
  /** Query parameters: an object schema, each property one parameter. */
  query?: z.ZodObject;
  /** Path parameters, when they are narrower than a plain string (an enum, a pattern). */
  params?: z.ZodObject;
  /** Successful answers by status: a JSON schema, or a media type and its schema for other bodies. */
  responses: Partial<Record<200 | 201 | 202 | 207, z.ZodType | { mediaType: string; schema: z.ZodType }>>;
  /**
   * Error statuses beyond those the route's shape implies (401/403/429/503 for an
   * authenticated route, 400 for a body or query, 404 for a path parameter, 413
   * for a body): e.g. 409 for a state conflict.
   */
  errors?: readonly number[];
  /** Headers the route reads beyond X-API-Key. */
  headers?: readonly { name: string; description: string }[];
}
