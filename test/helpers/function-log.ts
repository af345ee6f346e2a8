// The api, worker and events functions' output as the integration setup records
// it ("<source> <line>" per line): each line with its parsed JSON, when it is JSON.
import { readFile } from "node:fs/promises";

export interface FunctionLine {
  source: string;
  raw: string;
  /** The structured entry; null when the line is not a JSON object. */
  entry: Record<string, unknown> | null;
}

export async function readFunctionLog(file: string): Promise<FunctionLine[]> {
  const text = await readFile(file, "utf8");
  return text.split("\n").filter(Boolean).map((line) => {
    const space = line.indexOf(" ");
    const raw = line.slice(space + 1);
    return { source: line.slice(0, space), raw, entry: parseEntry(raw) };
  });
}

function parseEntry(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
