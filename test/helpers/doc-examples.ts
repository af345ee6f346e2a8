// Reads the examples out of README.md and docs/*.md, for the tests that run them and check what they name.
// Convention (docs/architecture.md, "Examples"): a ```sh block runs as written against `npm run dev`, in
// document order, one shell per document; ```bash and ```console blocks are shown, never run.
import { readdirSync } from "node:fs";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

/** README.md and every docs/*.md, relative to the repository root. */
export function documentedFiles(): string[] {
  const docs = readdirSync(path.join(REPO_ROOT, "docs")).filter((name) => name.endsWith(".md")).sort();
  return ["README.md", ...docs.map((name) => `docs/${name}`)];
}

export interface FencedBlock {
  info: string;
  body: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^(\s*)(```+)(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence!); j += 1) body.push(lines[j]!.slice(indent!.length));
    blocks.push({ info: info!.trim(), body: body.join("\n"), line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The markdown without its fenced blocks (what links and backticked paths are looked for in). */
export function proseOf(markdown: string): string {
  return markdown.replace(/^(\s*)(```+)[^\n]*\n[\s\S]*?^\s*\2\s*$/gm, "");
}

/** Logical lines of a shell block: backslash continuations joined, blanks dropped. */
export function logicalLines(script: string): string[] {
  const out: string[] = [];
  let pending = "";
  for (const line of script.split("\n")) {
    if (line.endsWith("\\")) {
      pending += `${line}\n`;
      continue;
    }
    const whole = pending + line;
    pending = "";
    if (whole.trim()) out.push(whole);
  }
  if (pending.trim()) out.push(pending);
  return out;
}

/**
 * The HTTP status an example documents for the command on this logical line, when it documents a
 * refusal: a comment on the line or the comment lines just above it that says `400`, `401`, `404`, `409`…
 * (a 2xx needs no mention), and the error code it shows (`"code":"validation_failed"`), if any.
 */
export function documentedRefusal(lines: string[], index: number): { status: number; code?: string } | undefined {
  const comments: string[] = [];
  const own = /\s#\s(.*)$/.exec(lines[index]!.split("\n").at(-1)!);
  if (own) comments.push(own[1]!);
  for (let i = index - 1; i >= 0 && lines[i]!.trimStart().startsWith("#"); i -= 1) comments.push(lines[i]!);
  const text = comments.join(" ");
  const found = /\b(4\d\d)\b/.exec(text);
  if (!found) return undefined;
  const code = /"code"\s*:\s*"([a-z_]+)"/.exec(text)?.[1];
  return { status: Number(found[1]), ...(code ? { code } : {}) };
}
