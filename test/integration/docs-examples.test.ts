// Every ```sh block of README.md and docs/*.md runs as written, with bash, against a stack of its own
// (the examples pause queues, create schedules, sync the sample corpus and delete audio: the shared
// stack's tests must not see that). The variables are what `npm run dev` prints (exampleVariables).
// A command fails the test when the shell does (set -euo pipefail) or when curl gets an answer the
// docs do not promise: a 2xx, or the 4xx (and error code) a comment on or just above the command names.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../../emulators/stack.ts";
import { exampleVariables } from "../../emulators/example-variables.ts";
import { eventually } from "../helpers/eventually.ts";
import { documentedFiles, documentedRefusal, fencedBlocks, logicalLines, REPO_ROOT } from "../helpers/doc-examples.ts";

/** curl as the examples call it, checking each answer's status against what the docs promise. */
const PRELUDE = readFileSync(path.join(REPO_ROOT, "test/helpers/doc-examples-prelude.sh"), "utf8");

/** One script per document: its ```sh blocks in order, each logical line marked with where it comes from. */
function scriptFor(file: string): string | undefined {
  const blocks = fencedBlocks(readFileSync(path.join(REPO_ROOT, file), "utf8")).filter((b) => b.info === "sh");
  if (blocks.length === 0) return undefined;
  const parts = [PRELUDE];
  for (const block of blocks) {
    const lines = logicalLines(block.body);
    lines.forEach((line, index) => {
      if (line.trimStart().startsWith("#")) return;
      const refusal = /\bcurl\b/.test(line) ? documentedRefusal(lines, index) : undefined;
      const at = `${file}, block at line ${block.line}: ${line.split("\n")[0]!.trim().slice(0, 60).replaceAll("'", "")}`;
      parts.push(`DOC_AT='${at}'; DOC_EXPECT=${refusal?.status ?? ""}; DOC_EXPECT_CODE=${refusal?.code ?? ""}`);
      parts.push(line);
    });
  }
  return parts.join("\n") + "\n";
}

function runScript(script: string, env: Record<string, string>, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", script], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    // A hung example (a loop that never ends) fails the test instead of holding the suite.
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 270_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

let stack: Stack;
// Inside the repository, so that `npx tq` finds the package's bin; gitignored; files examples download land here.
const workdir = path.join(REPO_ROOT, ".dev", "doc-examples");

beforeAll(async () => {
  rmSync(workdir, { recursive: true, force: true });
  mkdirSync(workdir, { recursive: true });
  stack = await startStack({ keyPrefix: `doc${Date.now().toString(36)}`, logLevel: "warn" });
  // A reader runs the examples once npm run dev has printed its banner and settled; on a loaded machine the
  // api's first submit (cold modules, first connections) can pass its 3 s deadline and answer 503 as designed.
  await eventually(async () => {
    const answer = await fetch(`${stack.apiUrl}/v1/tasks`, {
      method: "POST", headers: { "X-API-Key": stack.apiKey, "Content-Type": "application/json" }, body: JSON.stringify({ type: "testing.noop", payload: {} }),
    });
    expect(answer.status).toBe(202);
  }, { timeoutMs: 60_000, intervalMs: 500 });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(workdir, { recursive: true, force: true });
});

describe("the examples in README.md and docs/", () => {
  // DOC_EXAMPLES_ONLY=docs/tts.md runs one file's examples (while writing them).
  const only = process.env.DOC_EXAMPLES_ONLY;
  const files = documentedFiles().filter((file) => scriptFor(file) !== undefined && (!only || file === only));

  it("are found (README.md has runnable examples)", () => {
    if (!only) expect(files).toContain("README.md");
  });

  for (const file of files) {
    it(`${file} runs as written against npm run dev`, async () => {
      const { code, output } = await runScript(scriptFor(file)!, exampleVariables(stack), workdir);
      expect(code, `${file}:\n${output.slice(-4000)}`).toBe(0);
    }, 300_000);
  }
});
