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

export function collectionNotFound(name: string): QdrantError {
  return new QdrantError(404, `Not found: Collection \`${name}\` doesn't exist!`);
}

export function collectionExists(name: string): QdrantError {
  return new QdrantError(409, `Wrong input: Collection \`${name}\` already exists!`);
}

export function pointNotFound(id: string): QdrantError {
  return new QdrantError(404, `Not found: No point with id ${id} found`);
}

/** A body that does not deserialize into Qdrant's request types (serde's wording). */
export function formatError(detail: string): QdrantError {
  return new QdrantError(400, `Format error in JSON body: ${detail}`);
}

/** A body that deserializes but fails Qdrant's `validate` rules. */
export function validationError(detail: string): QdrantError {
  return new QdrantError(400, `Validation error in JSON body: [${detail}]`);
}

export function wrongInput(detail: string): QdrantError {
  return new QdrantError(400, `Wrong input: ${detail}`);
}

export function badRequest(detail: string): QdrantError {
  return new QdrantError(400, `Bad request: ${detail}`);
}

/** A real Qdrant feature this stand-in does not implement: say so instead of guessing. */
export function unsupported(feature: string): QdrantError {
  return new QdrantError(400, `Bad request: ${feature} is not supported by the local Qdrant stand-in`);
}
