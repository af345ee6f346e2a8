// Qdrant's payload key paths ("a.b", "a[].b", "a[0]", "\"dotted.key\"") and how
// it reads them: keys step into objects only, `[]` flattens an array, `[n]` picks
// one element, and a leaf array is returned whole (conditions then match if any
// element does). A key applied to an array yields nothing, as in Qdrant.
import { formatError } from "./errors.ts";
import { isPlainObject } from "./json.ts";

export type PathItem = { key: string } | { index: number } | { wildcard: true };

export interface JsonPath {
  text: string;
  items: PathItem[]; // the first item is always a key
}

export function parseJsonPath(text: unknown): JsonPath {
  if (typeof text !== "string" || text === "") throw formatError(`Invalid JSON path: ${String(text)}`);
  const items: PathItem[] = [];
  let i = 0;
  const fail = (): never => {
    throw formatError(`Invalid JSON path: ${text}`);
  };
  const readKey = (): string => {
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) fail();
      const key = text.slice(i + 1, end);
      i = end + 1;
      return key;
    }
    const start = i;
    while (i < text.length && !".[]\"".includes(text[i] as string)) i++;
    if (i === start) fail();
    return text.slice(start, i);
  };
  items.push({ key: readKey() });
  while (i < text.length) {
    if (text[i] === ".") {
      i++;
      items.push({ key: readKey() });
    } else if (text[i] === "[") {
      const end = text.indexOf("]", i);
      if (end < 0) fail();
      const inside = text.slice(i + 1, end);
      if (inside === "") items.push({ wildcard: true });
      else if (/^\d+$/.test(inside)) items.push({ index: Number(inside) });
      else fail();
      i = end + 1;
    } else {
      fail();
    }
  }
  return { text, items };
}

/** The values a path reaches in a payload (Qdrant's `get_value`). */
export function valuesAt(payload: Record<string, unknown>, path: JsonPath): unknown[] {
  const out: unknown[] = [];
  collect(payload, path.items, out);
  return out;
}

function collect(value: unknown, items: PathItem[], out: unknown[]): void {
  const [head, ...tail] = items;
  if (!head) {
    if (value !== undefined) out.push(value);
    return;
  }
  if ("key" in head) {
    if (isPlainObject(value) && Object.hasOwn(value, head.key)) collect(value[head.key], tail, out);
  } else if ("index" in head) {
    if (Array.isArray(value) && head.index < value.length) collect(value[head.index], tail, out);
  } else if (Array.isArray(value)) {
    for (const element of value) collect(element, tail, out);
  }
}

/** A copy of the payload keeping only the given paths (with_payload include). */
export function includePaths(payload: Record<string, unknown>, paths: JsonPath[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) copyAlong(payload, out, path.items);
  return out;
}

function copyAlong(src: Record<string, unknown>, dst: Record<string, unknown>, items: PathItem[]): void {
  const [head, ...tail] = items;
  if (!head || !("key" in head) || !Object.hasOwn(src, head.key)) return;
  const value = src[head.key];
  // Paths through arrays are copied whole at the array: enough for selection.
  if (tail.length === 0 || !isPlainObject(value) || !("key" in (tail[0] as PathItem))) {
    dst[head.key] = structuredClone(value);
    return;
  }
  const existing = dst[head.key];
  const child = isPlainObject(existing) ? existing : {};
  dst[head.key] = child;
  copyAlong(value, child, tail);
}

/** Removes what a path reaches, in place (with_payload exclude, delete payload keys). */
export function removePath(payload: Record<string, unknown>, path: JsonPath): void {
  removeAlong(payload, path.items);
}

function removeAlong(value: unknown, items: PathItem[]): void {
  const [head, ...tail] = items;
  if (!head) return;
  if ("key" in head) {
    if (!isPlainObject(value) || !Object.hasOwn(value, head.key)) return;
    if (tail.length === 0) delete value[head.key];
    else removeAlong(value[head.key], tail);
  } else if ("index" in head) {
    if (!Array.isArray(value) || head.index >= value.length) return;
    if (tail.length === 0) value.splice(head.index, 1);
    else removeAlong(value[head.index], tail);
  } else if (Array.isArray(value)) {
    if (tail.length === 0) value.length = 0;
    else for (const element of value) removeAlong(element, tail);
  }
}

/**
 * Merges `update` into the object the path names, creating objects on the way
 * (set payload with `key`). Null values in `update` delete keys, as in Qdrant.
 */
export function mergeAt(payload: Record<string, unknown>, path: JsonPath | undefined, update: Record<string, unknown>): void {
  if (!path) {
    mergeInto(payload, update);
    return;
  }
  mergeAlong(payload, path.items, update);
}

function mergeAlong(target: Record<string, unknown>, items: PathItem[], update: Record<string, unknown>): void {
  const [head, ...tail] = items;
  if (!head) {
    mergeInto(target, update);
    return;
  }
  if (!("key" in head)) return;
  let next = target[head.key];
  if (Array.isArray(next) && tail[0] && !("key" in tail[0])) {
    const [selector, ...rest] = tail;
    const elements = "index" in selector! ? [next[selector.index]] : next;
    for (const element of elements) if (isPlainObject(element)) mergeAlong(element, rest, update);
    return;
  }
  if (!isPlainObject(next)) {
    next = {};
    target[head.key] = next;
  }
  mergeAlong(next as Record<string, unknown>, tail, update);
}

export function mergeInto(target: Record<string, unknown>, update: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(update)) {
    if (value === null) delete target[key];
    else target[key] = value;
  }
}
