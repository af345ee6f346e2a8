// The deployed artifact (npm run infra:package, scripts/package/bundle.ts) runs: a
// stack whose functions run from the bundle takes a task to SUCCESS and serves the
// console, and the same sources give the same zip, byte for byte.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleFiles, external, functionEntries, writeBundle } from "../../scripts/package/bundle.ts";
import { zipArchive } from "../../scripts/package/zip-archive.ts";
import { startStack, type Stack } from "../../emulators/stack.ts";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";

describe("the function bundle", () => {
  let dir = "";
  let stack: Stack | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tq-bundle-"));
    await writeBundle(dir);
    stack = await startStack({ functionsBundle: dir, logLevel: "warn", keyPrefix: `bundle${Date.now().toString(36)}`, log: (source, line) => lines.push(`${source} ${line}`) });
  }, 150_000);

  afterAll(async () => {
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it("runs the api, worker and events from the bundle, not the sources", async () => {
    for (const fn of [stack!.api, stack!.worker]) expect(fn.process.spawnargs).toContain(`--source=${dir}`);
    const events = await stack!.restart("events");
    expect(events.process.spawnargs).toContain(`--source=${dir}`);
    const index = await readFile(path.join(dir, "index.js"), "utf8");
    for (const name of Object.keys(functionEntries)) expect(index).toContain(`./${name}.js`);
  });

  it("takes a testing.noop from submit to SUCCESS", async () => {
    const api = apiClient(stack!.apiUrl, stack!.apiKey);
    const submitted = await api.submit("testing.noop", {});
    expect(submitted.status, lines.join("\n")).toBe(202);
    const done = await api.waitFor(submitted.body.task_id, "SUCCESS").catch((error: Error) => {
      throw new Error(`${error.message}; the functions said:\n${lines.filter((line) => /^(api|worker|events) /.test(line)).join("\n")}`);
    });
    expect(done.seen.at(-1)).toBe("SUCCESS");
  }, 60_000);

  it("turns a published event into its task: the api publishes (Pub/Sub, bundled), the events function submits", async () => {
    const api = apiClient(stack!.apiUrl, stack!.apiKey);
    const messageId = `bundle-${Date.now()}`;
    const published = await api.call("POST", "/v1/events/query.completed", {
      user_id: "user-bundle", conversation_id: "conv-1", message_id: messageId, query: "q", answer: "a", sources: [], tokens_used: 1, processing_time_ms: 1,
    });
    expect(published.status).toBe(202);
    await eventually(async () => {
      const received = (await (await fetch(`${stack!.receiver.url}/__received`)).json()) as { body: { data?: { message_id?: string } } }[];
      expect(received.filter((hook) => hook.body.data?.message_id === messageId)).toHaveLength(1);
    }, { timeoutMs: 30_000 });
  }, 60_000);

  it("answers a malformed body in the platform's JSON shape: the hook on functions-framework's express holds in the bundle", async () => {
    const api = apiClient(stack!.apiUrl, stack!.apiKey);
    const malformed = await api.call<{ error: { code: string } }>("POST", "/v1/tasks", '{"type": "testing.noop",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("malformed_json");
  });

  it("serves the console's page and files, which the bundle carries beside its chunks", async () => {
    const page = await fetch(`${stack!.apiUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
    const script = await fetch(`${stack!.apiUrl}/console/app.js`);
    expect(script.status, "GET /console/app.js").toBe(200);
  });

  it("is the same zip for the same sources, and deploys only the externals", async () => {
    const [first, second] = [await bundleFiles(), await bundleFiles()];
    expect(zipArchive(first).equals(zipArchive(second))).toBe(true);
    const manifest = JSON.parse(first.find((file) => file.path === "package.json")!.data.toString()) as { main: string; dependencies: Record<string, string>; scripts?: unknown };
    expect(manifest.main).toBe("index.js");
    expect(manifest.scripts).toBeUndefined();
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...external].sort());
    const lock = JSON.parse(first.find((file) => file.path === "package-lock.json")!.data.toString()) as { packages: Record<string, { dev?: boolean }> };
    expect(Object.keys(lock.packages)).toContain("node_modules/sharp");
    expect(Object.keys(lock.packages)).not.toContain("node_modules/vitest");
    expect(Object.values(lock.packages).filter((entry) => entry.dev)).toEqual([]);
    // The in-memory stand-ins tests use never ship (esbuild names each module it bundles in a comment).
    const code = first.filter((file) => file.path.endsWith(".js")).map((file) => file.data.toString()).join("\n");
    expect(code).not.toMatch(/^\/\/ functions\/core\/testing\//m);
    expect(code).not.toMatch(/^\/\/ functions\/.*\.test\.ts$/m);
  }, 60_000);
});
