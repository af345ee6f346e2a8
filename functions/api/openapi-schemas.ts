// zod → JSON Schema for OpenAPI 3.1 (whose dialect is JSON Schema 2020-12, what
// z.toJSONSchema writes), and the task schemas: one input, output and submit
// body per type a caller may submit, the submit body a oneOf keyed on `type`.
import { z } from "zod";
import type { Registry } from "../core/registry.ts";
import { submitBody } from "./routes/tasks.ts";

export type JsonSchema = Record<string, unknown>;

/** What a caller sends: defaults make fields optional, unknown keys follow the schema. */
export function requestSchema(schema: z.ZodType): JsonSchema {
  return strip(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }));
}

/**
 * What the API answers. Answers are open: a later version may add fields, so
 * the output mode's additionalProperties:false is dropped and clients stay compatible.
 */
export function answerSchema(schema: z.ZodType): JsonSchema {
  return strip(
    z.toJSONSchema(schema, {
      io: "output",
      unrepresentable: "any",
      override: ({ jsonSchema }) => {
        if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
      },
    }),
  );
}

function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/** Component names: letters, digits, dots, dashes and underscores are all OpenAPI allows. */
export const taskSchemaName = (kind: "Input" | "Output" | "Submit", type: string) => `${kind}_${type}`;

export function taskSchemas(registry: Registry): Record<string, JsonSchema> {
  const types = registry.callerTaskTypes();
  const options = requestSchema(submitBody.omit({ type: true, payload: true })) as { properties: Record<string, unknown> };
  const schemas: Record<string, JsonSchema> = {};
  for (const type of types) {
    const task = registry.callerTask(type)!;
    schemas[taskSchemaName("Input", type)] = { ...requestSchema(task.input), ...(task.description ? { description: task.description } : {}) };
    schemas[taskSchemaName("Output", type)] = answerSchema(task.output);
    schemas[taskSchemaName("Submit", type)] = {
      type: "object",
      description: `Submit ${type} (queue ${task.queue})`,
      required: ["type"],
      properties: {
        type: { type: "string", const: type },
        payload: { $ref: `#/components/schemas/${taskSchemaName("Input", type)}` },
        ...options.properties,
      },
      additionalProperties: false,
    };
  }
  schemas.SubmitTask = {
    description: "A task to run: `type` picks the task, `payload` is its input",
    oneOf: types.map((type) => ({ $ref: `#/components/schemas/${taskSchemaName("Submit", type)}` })),
    discriminator: {
      propertyName: "type",
      mapping: Object.fromEntries(types.map((type) => [type, `#/components/schemas/${taskSchemaName("Submit", type)}`])),
    },
  };
  return schemas;
}
