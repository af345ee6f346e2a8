// The generation preconditions of the JSON and XML APIs. `ifGenerationMatch=0`
// means "only if no live object has this name": create-if-absent.
import { GcsError } from "./errors.ts";
import type { ObjectRecord } from "./records.ts";

export interface Preconditions {
  ifGenerationMatch?: string;
  ifGenerationNotMatch?: string;
  ifMetagenerationMatch?: string;
  ifMetagenerationNotMatch?: string;
}

const names = ["ifGenerationMatch", "ifGenerationNotMatch", "ifMetagenerationMatch", "ifMetagenerationNotMatch"] as const;

/** From JSON API query parameters. */
export function preconditionsFromQuery(query: URLSearchParams): Preconditions {
  const preconditions: Preconditions = {};
  for (const name of names) {
    const value = query.get(name);
    if (value !== null) preconditions[name] = value;
  }
  return preconditions;
}

/** From XML API headers (`x-goog-if-generation-match`, `x-goog-if-metageneration-match`). */
export function preconditionsFromHeaders(headers: Record<string, string | string[] | undefined>): Preconditions {
  const preconditions: Preconditions = {};
  const generation = headers["x-goog-if-generation-match"];
  const metageneration = headers["x-goog-if-metageneration-match"];
  if (typeof generation === "string") preconditions.ifGenerationMatch = generation;
  if (typeof metageneration === "string") preconditions.ifMetagenerationMatch = metageneration;
  return preconditions;
}

function failed(detail: string): GcsError {
  return new GcsError(412, "conditionNotMet", `At least one of the pre-conditions you specified did not hold. (${detail})`, "PreconditionFailed");
}

export function checkPreconditions(existing: ObjectRecord | undefined, preconditions: Preconditions): void {
  const generation = existing?.generation ?? "0";
  const { ifGenerationMatch, ifGenerationNotMatch, ifMetagenerationMatch, ifMetagenerationNotMatch } = preconditions;
  if (ifGenerationMatch !== undefined && ifGenerationMatch !== generation) {
    throw failed(`ifGenerationMatch=${ifGenerationMatch}, live generation ${generation}`);
  }
  if (ifGenerationNotMatch !== undefined && ifGenerationNotMatch === generation) {
    throw failed(`ifGenerationNotMatch=${ifGenerationNotMatch}`);
  }
  if (ifMetagenerationMatch !== undefined && ifMetagenerationMatch !== String(existing?.metageneration)) {
    throw failed(`ifMetagenerationMatch=${ifMetagenerationMatch}`);
  }
  if (ifMetagenerationNotMatch !== undefined && ifMetagenerationNotMatch === String(existing?.metageneration)) {
    throw failed(`ifMetagenerationNotMatch=${ifMetagenerationNotMatch}`);
  }
}
