// The compiler checks a caller's task types, inputs and outputs: the fixtures in
// test/client-typecheck import the client by the package's name (package.json
// exports) and are compiled with the TypeScript compiler API.
import path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const dir = path.resolve(import.meta.dirname, "../test/client-typecheck");
let byFile: Map<string, { code: number; text: string }[]>;
let resolvedClient: string | undefined;

/** README's client example, compiled as if it were a file beside the fixtures. */
const readmeExample = path.join(dir, "readme-example.ts");
function readmeSnippet(): string {
  const readme = ts.sys.readFile(path.resolve(dir, "../../README.md"))!;
  const section = readme.slice(readme.indexOf("## A typed client"));
  const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!snippet) throw new Error("README has no ```ts block under ## A typed client");
  return snippet;
}

beforeAll(() => {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(dir, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } })!;
  const host = ts.createCompilerHost(config.options);
  const snippet = readmeSnippet();
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => file === readmeExample || fileExists.call(host, file);
  host.readFile = (file) => (file === readmeExample ? snippet : readFile.call(host, file));
  host.getSourceFile = (file, language, ...rest) =>
    file === readmeExample ? ts.createSourceFile(file, snippet, language) : getSourceFile.call(host, file, language, ...rest);
  const program = ts.createProgram({ rootNames: [...config.fileNames, readmeExample], options: config.options, host });
  byFile = new Map();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file ? path.relative(dir, diagnostic.file.fileName) : "(global)";
    byFile.set(file, [...(byFile.get(file) ?? []), { code: diagnostic.code, text: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n") }]);
  }
  const right = program.getSourceFile(path.join(dir, "right.ts"))!;
  const resolved = ts.resolveModuleName("cloud-tasks-platform/client", right.fileName, config.options, ts.sys);
  resolvedClient = resolved.resolvedModule?.resolvedFileName;
}, 120_000);

describe("the typed client under tsc", () => {
  it("resolves cloud-tasks-platform/client through package.json exports", () => {
    expect(resolvedClient).toBe(path.resolve(dir, "../../client/index.ts"));
  });

  it("passes a known type with its input, and types the output", () => {
    expect(byFile.get("right.ts") ?? []).toEqual([]);
  });

  it("fails a payload that does not match the type's input", () => {
    expect(byFile.get("wrong-payload.ts")).toEqual([expect.objectContaining({ code: 2353, text: expect.stringContaining("'body' does not exist") })]);
  });

  it("fails an unknown task type, and an internal one", () => {
    expect(byFile.get("wrong-type.ts")).toEqual([expect.objectContaining({ code: 2345, text: expect.stringContaining('"notify.sytsem"') })]);
    expect(byFile.get("wrong-internal.ts")).toEqual([expect.objectContaining({ code: 2345, text: expect.stringContaining('"platform.callback"') })]);
  });

  it("fails reading a field the type's output does not have", () => {
    expect(byFile.get("wrong-output.ts")).toEqual([expect.objectContaining({ code: 2339, text: expect.stringContaining("'audio_url'") })]);
  });

  it("compiles README's example", () => {
    expect(byFile.get("readme-example.ts") ?? []).toEqual([]);
  });

  it("reports nothing anywhere else", () => {
    expect([...byFile.keys()].filter((f) => !f.startsWith("wrong-"))).toEqual([]);
  });
});
