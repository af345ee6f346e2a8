// A small method + path router: the api function has a dozen routes, not enough
// to bring a web framework on top of the one functions-framework already runs.
import type { ServerResponse } from "node:http";
import { ApiError, type ApiRequest } from "../http/json.ts";
import type { Scope } from "./auth.ts";
import type { Caller } from "./tenancy.ts";
import type { RouteDoc } from "./route-doc.ts";
import type { RateCharge } from "../core/rate-limit.ts";

export interface RouteContext {
  req: ApiRequest;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Who called: null on public routes. */
  caller: Caller | null;
  /** The caller's rate limit, for a route that counts it in its own store call (countsRate); absent otherwise. */
  rate?: RateCharge;
}

export interface Route {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  /** Scope needed; null for public routes (health, OpenAPI, the console). */
  scope: Scope | null;
  /** Also accept an OIDC token from this caller instead of an API key (Cloud Scheduler's jobs). */
  oidc?: "scheduler";
  summary: string;
  /** Stable name of the operation in OpenAPI (and in generated clients): camelCase verbNoun. */
  operationId: string;
  /**
   * The handler counts the caller's rate limit (ctx.rate) in its own Redis call, and must pass it on; otherwise
   * the api counts it before the handler runs, one Redis request more.
   */
  countsRate?: true;
  /** Request and answers, for OpenAPI. */
  doc: RouteDoc;
  handle(ctx: RouteContext): Promise<void> | void;
}

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

export function createRouter(routes: Route[]) {
  const compiled: Compiled[] = routes.map((route) => {
    const names: string[] = [];
    const source = route.path.replace(/[.]/g, "\\.").replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    return { route, pattern: new RegExp(`^${source}/?$`), names };
  });
  return {
    match(method: string, pathname: string): { route: Route; params: Record<string, string> } {
      let pathMatched = false;
      for (const { route, pattern, names } of compiled) {
        const m = pattern.exec(pathname);
        if (!m) continue;
        pathMatched = true;
        if (route.method !== method) continue;
        const params: Record<string, string> = {};
        names.forEach((name, i) => (params[name] = decodePathSegment(name, m[i + 1]!)));
        return { route, params };
      }
      if (pathMatched) throw new ApiError(405, "method_not_allowed", `${method} is not allowed on ${pathname}`);
      throw new ApiError(404, "not_found", `no route ${method} ${pathname}`);
    },
    routes,
  };
}

function decodePathSegment(name: string, segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(400, "bad_request", `the path's ${name} is not valid percent-encoding`, { field: name });
  }
}
