// The OpenAPI document: complete (operation ids, bodies, typed answers, errors,
// query parameters), only the task types a caller may submit, and clean under
// Redocly's recommended rules (redocly.yaml), linted by the real CLI.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createRegistry } from "../core/registry.ts";
import { queues, tasks } from "../registry.ts";
import { openApiDocument } from "./openapi.ts";
import { apiRoutes } from "./routes/index.ts";
import type { ApiDeps } from "./deps.ts";

const root = path.resolve(import.meta.dirname, "../..");
const registryWith = (testing: boolean) => createRegistry({ queues, tasks, testingEnabled: () => testing });
// Building the routes touches no dependency: each handler reaches for its deps only when called.
const documentFor = (testing: boolean) => {
  const registry = registryWith(testing);
  return openApiDocument(registry, apiRoutes({ registry, publicBaseUrl: "" } as unknown as ApiDeps));
};

type Operation = { operationId: string; security: unknown[]; parameters?: { name: string; in: string; required: boolean }[]; requestBody?: unknown; responses: Record<string, unknown> };
const operations = (doc: ReturnType<typeof documentFor>) =>
  Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([method, op]) => ({ path: p, method, op: op as Operation })));

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the OpenAPI document", () => {
  it("passes Redocly's recommended rules with no error and no warning", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "openapi-"));
    const file = path.join(dir, "openapi.json");
    await writeFile(file, JSON.stringify(documentFor(true)));
    const cli = path.join(root, "node_modules/@redocly/cli/bin/cli.js");
    const run = promisify(execFile)(process.execPath, [cli, "lint", file, "--config", path.join(root, "redocly.yaml"), "--format", "json"], {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      maxBuffer: 32 * 1024 * 1024,
    });
    // The CLI exits non-zero on errors; its JSON report is on stdout either way.
    const { stdout } = await run.catch((error: { stdout: string }) => error);
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it("names every operation once, and declares security, 2xx and errors on each", () => {
    const ops = operations(documentFor(false));
    expect(ops.length).toBeGreaterThan(25);
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path: p, op } of ops) {
      expect(Object.keys(op.responses).some((s) => s.startsWith("2")), p).toBe(true);
      expect(Object.keys(op.responses).some((s) => s.startsWith("4")), p).toBe(true);
    }
    const publicOps = ops.filter((o) => ["/healthz", "/v1/openapi.json", "/"].includes(o.path));
    expect(publicOps).toHaveLength(3);
    for (const { op } of publicOps) expect(op.security).toEqual([]);
    const submit = ops.find((o) => o.op.operationId === "submitTask")!.op;
    expect(Object.keys(submit.responses)).toEqual(expect.arrayContaining(["202", "400", "401", "403", "409", "413", "429", "503"]));
  });

  it("declares the query parameters the routes validate", () => {
    const ops = operations(documentFor(false));
    const params = (id: string) => ops.find((o) => o.op.operationId === id)!.op.parameters!.filter((p) => p.in === "query").map((p) => p.name);
    expect(params("listTasks")).toEqual(["status", "queue", "type", "limit", "cursor", "tenant"]);
    for (const id of ["getTask", "getTaskResult", "cancelTask", "retryTask", "getGroup", "cancelGroup", "getSpeechStatus"]) expect(params(id), id).toContain("tenant");
    expect(params("searchDocuments")).toEqual(["q", "region_id", "limit", "collection"]);
    const q = ops.find((o) => o.op.operationId === "searchDocuments")!.op.parameters!.find((p) => p.name === "q")!;
    expect(q.required).toBe(true);
  });

  it("gives every body-taking route a request body", () => {
    const ops = operations(documentFor(false));
    for (const id of ["submitTask", "cancelTask", "submitGroup", "createSchedule", "updateSchedule", "triggerSchedule", "publishEvent", "submitSpeech", "triggerFullSync", "uploadImage"]) {
      expect(ops.find((o) => o.op.operationId === id)?.op.requestBody, id).toBeDefined();
    }
  });

  it("keys task payloads on type, offering only what a caller may submit", () => {
    const schemas = (testing: boolean) => documentFor(testing).components.schemas as Record<string, { discriminator?: { propertyName: string; mapping: Record<string, string> } }>;
    const closed = schemas(false).SubmitTask!;
    expect(closed.discriminator!.propertyName).toBe("type");
    const types = Object.keys(closed.discriminator!.mapping);
    expect(types).toEqual(registryWith(false).callerTaskTypes());
    expect(types).toContain("notify.system");
    expect(types).not.toContain("platform.callback");
    expect(types.filter((t) => t.startsWith("testing."))).toEqual([]);
    expect(schemas(false)["Input_platform.callback"]).toBeUndefined();
    expect(Object.keys(schemas(true).SubmitTask!.discriminator!.mapping)).toContain("testing.flaky");
  });
});
