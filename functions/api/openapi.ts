// OpenAPI 3.1, generated from the same zod schemas that validate requests.
import { z } from "zod";
import type { Registry } from "../core/registry.ts";
import type { Route } from "./router.ts";
import { submitBody } from "./routes/tasks.ts";

export function openApiDocument(registry: Registry, routes: Route[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      summary: route.summary,
      ...(route.scope ? { security: [{ apiKey: [] }], "x-scope": route.scope } : {}),
      parameters: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } })),
      ...(route.method === "POST" && route.path === "/v1/tasks"
        ? { requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/SubmitTask" } } } } }
        : {}),
      responses: { default: { description: "JSON; errors are {error: {code, message, details?}}" } },
    };
  }
  const taskSchemas = Object.fromEntries(
    registry.taskTypes().map((type) => {
      const task = registry.task(type)!;
      return [type, { description: task.description, queue: task.queue, input: z.toJSONSchema(task.input, { io: "input", unrepresentable: "any" }), output: z.toJSONSchema(task.output, { unrepresentable: "any" }) }];
    }),
  );
  return {
    openapi: "3.1.0",
    info: { title: "Serverless task platform", version: "1" },
    components: {
      securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "X-API-Key" } },
      schemas: { SubmitTask: z.toJSONSchema(submitBody, { unrepresentable: "any" }) },
    },
    paths,
    "x-task-types": taskSchemas,
  };
}
