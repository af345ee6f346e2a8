// infra/manifest.json is what Terraform deploys: it must be the registry's current
// rendering, and what it says about each function must be consistent with the code.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { renderManifest, stableJson } from "../../scripts/manifest/render.ts";
import { isSecretVariable } from "../../scripts/manifest/functions.ts";
import { configVariables } from "../../functions/config.ts";
import { registry } from "../../functions/registry.ts";
import { dispatchDeadline } from "../../functions/core/submit.ts";

const manifest = renderManifest();

describe("infra/manifest.json", () => {
  it("is the current rendering of the registry (run npm run infra:manifest when this fails)", async () => {
    const committed = await readFile(new URL("../../infra/manifest.json", import.meta.url), "utf8");
    expect(committed).toBe(stableJson(manifest));
  });

  it("renders the same bytes twice", () => {
    expect(stableJson(renderManifest())).toBe(stableJson(manifest));
  });
});

describe("manifest functions", () => {
  const known = new Set<string>(configVariables);
  const fns = Object.entries(manifest.functions);

  it("name only variables functions/config.ts reads, secrets never as plain variables", () => {
    for (const [name, fn] of fns) {
      for (const variable of [...fn.env, ...fn.secrets]) expect(known.has(variable), `${name}: ${variable}`).toBe(true);
      for (const variable of fn.env) expect(isSecretVariable(variable), `${name} reads ${variable} as a plain variable`).toBe(false);
      for (const variable of fn.secrets) expect(manifest.secrets[variable as keyof typeof manifest.secrets], `${name}: ${variable}`).toBeDefined();
    }
  });

  it("gives every secret to some function and the Redis token to all of them", () => {
    for (const secret of Object.keys(manifest.secrets)) expect(fns.some(([, fn]) => fn.secrets.includes(secret)), secret).toBe(true);
    for (const [name, fn] of fns) expect(fn.secrets, name).toContain("UPSTASH_REDIS_REST_TOKEN");
    expect(manifest.functions.api.secrets).toContain("API_KEYS");
    expect(manifest.functions.worker.secrets).not.toContain("API_KEYS");
  });

  it("keeps settings, wired variables and secrets apart", () => {
    const settings = new Set<string>(manifest.settings);
    for (const wired of manifest.wiredVariables) expect(settings.has(wired), wired).toBe(false);
    for (const secret of Object.keys(manifest.secrets)) expect(settings.has(secret), secret).toBe(false);
    for (const wired of manifest.wiredVariables) expect(known.has(wired), wired).toBe(true);
  });

  it("deploys a worker function for every queue, lasting longer than its tasks' dispatch deadlines", () => {
    for (const queue of registry.queues.values()) {
      const fn = manifest.functions[queue.worker as keyof typeof manifest.functions];
      expect(fn?.entryPoint, queue.name).toBe("worker");
    }
    for (const task of registry.tasks.values()) {
      const fn = manifest.functions[registry.queue(task.queue).worker as keyof typeof manifest.functions];
      expect(fn.timeoutSeconds, task.name).toBeGreaterThanOrEqual(dispatchDeadline(task));
      expect(fn.timeoutSeconds).toBeLessThanOrEqual(3600);
    }
  });
});

describe("manifest queues, topics and schedules", () => {
  it("declares each queue and its priority twin, routed to its worker's URL variable", () => {
    for (const queue of registry.queues.values()) {
      expect(manifest.queues[queue.name], queue.name).toMatchObject({ queue: queue.name, priority: "normal", worker: queue.worker });
      if (queue.priorityTwin) expect(manifest.queues[`${queue.name}-high`], queue.name).toMatchObject({ queue: queue.name, priority: "high" });
      else expect(manifest.queues[`${queue.name}-high`], queue.name).toBeUndefined();
    }
    for (const entry of Object.values(manifest.queues) as { workerUrlVariable: string }[]) expect(manifest.wiredVariables).toContain(entry.workerUrlVariable);
  });

  it("points every subscription at a declared topic and dead-letters to one", () => {
    const subs = Object.values(manifest.subscriptions) as { topic: string; deadLetterTopic: string | null }[];
    for (const sub of subs) {
      expect(manifest.topics[sub.topic as keyof typeof manifest.topics], sub.topic).toBeDefined();
      if (sub.deadLetterTopic) expect(manifest.topics[sub.deadLetterTopic as keyof typeof manifest.topics]).toBeDefined();
    }
  });

  it("gives each schedule a job id with the scheduler prefix and a JSON body naming its task", () => {
    for (const [name, job] of Object.entries(manifest.schedules) as [string, { jobId: string; body: string; task: string }][]) {
      expect(job.jobId).toBe(`${manifest.scheduler.jobPrefix}${name}`);
      expect(JSON.parse(job.body)).toMatchObject({ schedule: name, origin: "code", task: job.task });
      expect(registry.task(job.task), job.task).toBeDefined();
    }
  });
});
