// Qdrant's error replies: the HTTP status and the wording its clients and logs
// show, so code that inspects `error.data.status.error` sees the same text.

export class QdrantError extends Error {
  override name = "QdrantError";
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export const collectionNotFound = (name: string) => new QdrantError(404, `Not found: Collection \`${name}\` doesn't exist!`);

/** A body that does not deserialize into Qdrant's request types (serde's wording). */
export const formatError = (detail: string) => new QdrantError(400, `Format error in JSON body: ${detail}`);

export const wrongInput = (detail: string) => new QdrantError(400, `Wrong input: ${detail}`);

/** A real Qdrant feature this stand-in does not implement: 501, saying so instead of guessing (README.md lists them). */
export const unsupported = (feature: string) => new QdrantError(501, `Not implemented: ${feature} is not supported by the local Qdrant stand-in`);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
