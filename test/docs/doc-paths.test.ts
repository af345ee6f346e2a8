// What README.md and docs/*.md point at exists in this repository, and nothing points outside it:
// every relative link, and every backticked path under a top-level folder (`functions/core/executor.ts`).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { documentedFiles, fencedBlocks, proseOf, REPO_ROOT } from "../helpers/doc-examples.ts";

const TOP_LEVEL = ["functions", "emulators", "test", "docs", "infra", "scripts", "bench", "client", "faults", ".ci"];
/** Files at the root a text may name bare: configuration and the README. */
const ROOT_FILES = /^(package(-lock)?\.json|tsconfig[\w.]*\.json|[\w-]+\.config\.(ts|js|mjs|cjs)|redocly\.yaml|README\.md)$/;

/** Relative link targets in a markdown file, without their #fragment. */
function relativeLinks(markdown: string): string[] {
  const targets = [...proseOf(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  return targets.filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith("#")).map((t) => t.split("#")[0]!);
}

/** Backticked text that names a file or folder of the repository (no placeholders, globs or spaces). */
function backtickedPaths(markdown: string): string[] {
  const spans = [...proseOf(markdown).matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!.trim());
  return spans.filter((span) => {
    if (/[\s<>{}*…|,]/.test(span) || span.includes("...")) return false;
    const first = span.split("/")[0]!;
    if (span.includes("/")) return TOP_LEVEL.includes(first);
    return ROOT_FILES.test(span);
  });
}

/** A design or style file kept beside the repository, never in it. */
const OUTSIDE = /DESIGN\.md|STYLE\.md|\.\.\/shared\/|\/work\/shared|(?<![\w./-])shared\/[\w-]+\.md/g;

/** GitHub's anchors for a document's headings. */
function headingSlugs(markdown: string): string[] {
  return [...proseOf(markdown).matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replaceAll(" ", "-"));
}

function resolveFrom(file: string, target: string): string {
  return path.resolve(path.dirname(path.join(REPO_ROOT, file)), decodeURIComponent(target));
}

describe("paths in README.md and docs/", () => {
  for (const file of documentedFiles()) {
    const markdown = readFileSync(path.join(REPO_ROOT, file), "utf8");

    it(`${file}: every relative link resolves inside the repository`, () => {
      const broken = relativeLinks(markdown).filter((target) => {
        const resolved = resolveFrom(file, target);
        return !resolved.startsWith(REPO_ROOT + path.sep) || !existsSync(resolved);
      });
      expect(broken).toEqual([]);
    });

    it(`${file}: every #fragment of a link to a markdown file names one of its headings`, () => {
      const links = [...proseOf(markdown).matchAll(/\]\(([^)\s]*#[^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/i.test(t));
      const broken = links.filter((link) => {
        const [target, fragment] = link.split("#") as [string, string];
        const text = target === "" ? markdown : readFileSync(resolveFrom(file, target), "utf8");
        return target.endsWith(".md") || target === "" ? !headingSlugs(text).includes(fragment) : false;
      });
      expect(broken).toEqual([]);
    });

    it(`${file}: every backticked repository path exists`, () => {
      const missing = backtickedPaths(markdown).filter((p) => !existsSync(path.join(REPO_ROOT, p.replace(/:\d+$/, ""))));
      expect(missing).toEqual([]);
    });

  }

  it("no file of the repository (docs, code comments, scripts) names a design file outside it", () => {
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" })
      .split("\n").filter((f) => f && f !== "package-lock.json" && f !== "test/docs/doc-paths.test.ts" && /\.(md|ts|js|mjs|cjs|sh|json|ya?ml|tf|html)$/.test(f));
    expect(files.length).toBeGreaterThan(100);
    const outside = files.flatMap((f) => {
      if (!existsSync(path.join(REPO_ROOT, f))) return [];
      const text = readFileSync(path.join(REPO_ROOT, f), "utf8");
      return [...text.matchAll(OUTSIDE)].map((m) => `${f}: ${m[0]}`);
    });
    expect(outside).toEqual([]);
  });

  it("finds the links and paths it checks (a checker that finds nothing checks nothing)", () => {
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    expect(relativeLinks(readme)).toContain("docs/architecture.md");
    expect(headingSlugs(readme)).toEqual(expect.arrayContaining(["what-a-callers-url-may-reach", "the-tq-cli", "how-a-task-is-kept-safe"]));
    expect(backtickedPaths(readme)).toContain("functions/adapters/redis/scripts.ts");
    expect(backtickedPaths("`functions/nope.ts` and `functions/tasks/<domain>/`")).toEqual(["functions/nope.ts"]);
    expect(fencedBlocks("```sh\necho\n```\n").map((b) => b.info)).toEqual(["sh"]);
  });
});
