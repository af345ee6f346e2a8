// Reads a Terraform directory through @cdktf/hcl2json (no terraform, no provider)
// into what the infra tests ask about: declared blocks and the references
// every expression makes.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "@cdktf/hcl2json";

type Body = Record<string, unknown>;

export interface TerraformDir {
  /** "type.name" → block body. */
  resources: Map<string, Body>;
  data: Set<string>;
  variables: Map<string, Body>;
  /** Local name → its expression (a string, or the literal object/array hcl2json made of it). */
  locals: Map<string, unknown>;
  modules: Map<string, Body>;
  /** Every reference any expression in the directory makes, e.g. "var.region", "local.manifest.queues". */
  references: string[];
}

const blocksOf = (doc: Body, kind: string) => (doc[kind] ?? {}) as Record<string, unknown>;

export async function loadTerraformDir(dir: string): Promise<TerraformDir> {
  const result: TerraformDir = { resources: new Map(), data: new Set(), variables: new Map(), locals: new Map(), modules: new Map(), references: [] };
  const files = (await readdir(dir)).filter((file) => file.endsWith(".tf")).sort();
  for (const file of files) {
    const doc = (await parse(file, await readFile(path.join(dir, file), "utf8"))) as Body;
    for (const [type, byName] of Object.entries(blocksOf(doc, "resource"))) {
      for (const [name, bodies] of Object.entries(byName as Record<string, Body[]>)) result.resources.set(`${type}.${name}`, bodies[0]!);
    }
    for (const [type, byName] of Object.entries(blocksOf(doc, "data"))) {
      for (const name of Object.keys(byName as object)) result.data.add(`${type}.${name}`);
    }
    for (const [name, bodies] of Object.entries(blocksOf(doc, "variable"))) result.variables.set(name, (bodies as Body[])[0]!);
    for (const [name, bodies] of Object.entries(blocksOf(doc, "module"))) result.modules.set(name, (bodies as Body[])[0]!);
    for (const block of (doc.locals ?? []) as Body[]) for (const [name, value] of Object.entries(block)) result.locals.set(name, value);
    result.references.push(...referencesIn(doc));
  }
  return result;
}

/** Every string in a parsed value (object values and array items, not object keys). */
function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * The `${…}` parts of a template string (hcl2json hands expressions back as
 * templates). Braces are counted, which holds for balanced ones in string literals too.
 */
function interpolations(text: string): string[] {
  const parts: string[] = [];
  for (let i = text.indexOf("${"); i !== -1; i = text.indexOf("${", i)) {
    if (text[i - 1] === "$") {
      i += 2;
      continue;
    }
    let depth = 0;
    let end = i + 1;
    for (; end < text.length; end++) {
      if (text[end] === "{") depth++;
      else if (text[end] === "}" && --depth === 0) break;
    }
    parts.push(text.slice(i, end + 1));
    i = end + 1;
  }
  return parts;
}

// A traversal's dotted part: var.x, local.manifest.queues, each.value.field, data.t.n, google_t.n.attr.
// (hcl2json's own reference finder skips the bodies of for expressions, which this module is full of.)
const TRAVERSAL = /(?<![\w."])\b(var|local|each|data|google_[a-z0-9_]+)((?:\.[A-Za-z_][\w-]*)+)/g;
// An indexed resource instance with a literal key: google_service_account.this["build"].
const LITERAL_INDEX = /(?<![\w."])\b(google_[a-z0-9_]+\.[a-z0-9_]+)\["([^"]+)"\]/g;

/** References in every expression of a parsed value: "var.region", "google_service_account.this", "google_service_account.this[build]". */
export function referencesIn(value: unknown): string[] {
  const found: string[] = [];
  for (const text of stringsIn(value)) {
    for (const part of interpolations(text)) {
      for (const match of part.matchAll(TRAVERSAL)) found.push(`${match[1]}${match[2]}`);
      for (const match of part.matchAll(LITERAL_INDEX)) found.push(`${match[1]}[${match[2]}]`);
    }
  }
  return found;
}

/** Names that references of a kind use: `names(refs, "var")` → ["region", …]. */
export const referencedNames = (references: string[], kind: string): Set<string> =>
  new Set(references.filter((r) => r.startsWith(`${kind}.`)).map((r) => r.split(".")[1]!));

/**
 * The manifest paths an expression reads, following locals: `local.push_subscriptions`
 * whose expression reads `local.manifest.subscriptions` yields "subscriptions".
 * Also returns every string met on the way, for checks on filters.
 */
export async function manifestSources(dir: TerraformDir, value: unknown, seen = new Set<string>()): Promise<{ keys: Set<string>; texts: string[] }> {
  const keys = new Set<string>();
  const texts = stringsIn(value);
  for (const reference of referencesIn(value)) {
    const [kind, name, key] = reference.split(".");
    if (kind !== "local" || !name) continue;
    if (name === "manifest") {
      if (key) keys.add(key);
      continue;
    }
    if (seen.has(name) || !dir.locals.has(name)) continue;
    seen.add(name);
    const inner = await manifestSources(dir, dir.locals.get(name), seen);
    for (const k of inner.keys) keys.add(k);
    texts.push(...inner.texts);
  }
  return { keys, texts };
}
