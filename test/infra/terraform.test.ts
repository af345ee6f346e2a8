// The Terraform in infra/ against the manifest, parsed offline: every resource
// the code needs exists and iterates over the manifest, every field it reads
// from a manifest entry exists, and every variable and local it names is declared.
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { renderManifest } from "../../scripts/manifest/render.ts";
import { loadTerraformDir, manifestSources, referencedNames, referencesIn, type TerraformDir } from "./hcl.ts";

const manifest = renderManifest() as unknown as Record<string, Record<string, Record<string, unknown>>>;
const infra = (dir: string) => fileURLToPath(new URL(`../../infra/${dir}`, import.meta.url));

/** Resource type → the manifest collection its instances come from. */
const generated: [type: string, key: string][] = [
  ["google_cloud_tasks_queue", "queues"],
  ["google_pubsub_topic", "topics"],
  ["google_pubsub_subscription", "subscriptions"],
  ["google_cloud_scheduler_job", "schedules"],
  ["google_cloudfunctions2_function", "functions"],
  ["google_secret_manager_secret", "secrets"],
];

/** Fields Terraform adds to a manifest entry on its way to a resource. */
const addedFields = new Set(["override"]);

let platform: TerraformDir;
let example: TerraformDir;

beforeAll(async () => {
  platform = await loadTerraformDir(infra("modules/tasks-platform"));
  example = await loadTerraformDir(infra("envs/example"));
});

const resourcesOf = (dir: TerraformDir, type: string) => [...dir.resources].filter(([address]) => address.startsWith(`${type}.`));

describe("infra/modules/tasks-platform", () => {
  it.each(generated)("creates %s for each entry of the manifest's %s", async (type, key) => {
    const resources = resourcesOf(platform, type);
    expect(resources.length, `no ${type} resource`).toBeGreaterThan(0);
    for (const [address, body] of resources) {
      expect(body.for_each, `${address} has no for_each`).toBeDefined();
      const sources = await manifestSources(platform, body.for_each);
      expect([...sources.keys], `${address} does not iterate over local.manifest.${key}`).toEqual([key]);
    }
  });

  it("splits subscriptions so that every kind in the manifest has a resource", async () => {
    const kinds = new Set(Object.values(manifest.subscriptions!).map((s) => String(s.type)));
    const filters = await Promise.all(resourcesOf(platform, "google_pubsub_subscription").map(([, body]) => manifestSources(platform, body.for_each)));
    for (const kind of kinds) expect(filters.some((f) => f.texts.some((t) => t.includes(`"${kind}"`))), kind).toBe(true);
  });

  it("reads only fields every manifest entry has", async () => {
    for (const [type, key] of generated) {
      const entries = Object.values(manifest[key]!);
      for (const [address, body] of resourcesOf(platform, type)) {
        const used = referencesIn(body).filter((r) => r.startsWith("each.value.")).map((r) => r.split(".")[2]!);
        for (const field of new Set(used)) {
          if (addedFields.has(field)) continue;
          for (const entry of entries) expect(Object.keys(entry), `${address} reads each.value.${field}`).toContain(field);
        }
      }
    }
  });

  it("reads only manifest sections that exist", () => {
    const sections = platform.references.filter((r) => r.startsWith("local.manifest.")).map((r) => r.split(".")[2]!);
    for (const section of new Set(sections)) expect(Object.keys(manifest), section).toContain(section);
  });

  it("declares every variable, local, resource and data source it references, and uses every variable", () => {
    const vars = referencedNames(platform.references, "var");
    for (const name of vars) expect([...platform.variables.keys()], `var.${name}`).toContain(name);
    for (const name of platform.variables.keys()) expect([...vars], `variable "${name}" is never used`).toContain(name);
    for (const name of referencedNames(platform.references, "local")) expect([...platform.locals.keys()], `local.${name}`).toContain(name);
    for (const reference of platform.references) {
      const [first, second, third] = reference.replace(/\[.*$/, "").split(".");
      if (first === "data") expect([...platform.data], reference).toContain(`${second}.${third}`);
      else if (first?.startsWith("google_")) expect([...platform.resources.keys()], reference).toContain(`${first}.${second}`);
    }
  });

  it("fills exactly the variables the manifest calls wired", () => {
    expect(Object.keys(platform.locals.get("wired_env") as object).sort()).toEqual([...(manifest.wiredVariables as unknown as string[])].sort());
  });

  it("has a service account for every role the manifest and the module name", () => {
    const accounts = Object.keys(platform.locals.get("service_accounts") as object);
    const named = new Set<string>();
    for (const fn of Object.values(manifest.functions!)) named.add(String(fn.serviceAccount));
    for (const topic of Object.values(manifest.topics!)) for (const account of topic.publishers as string[]) named.add(account);
    for (const reference of platform.references) {
      const match = /^google_service_account\.this\[(.+)\]$/.exec(reference);
      if (match) named.add(match[1]!);
    }
    for (const grant of [platform.locals.get("project_roles"), platform.locals.get("act_as")] as Record<string, Record<string, string>>[]) {
      for (const { account, as } of Object.values(grant)) for (const name of [account, as]) if (name && !name.includes("${")) named.add(name);
    }
    for (const name of named) expect(accounts, name).toContain(name);
  });
});

describe("infra/envs/example", () => {
  it("passes the module only variables it declares, and every one without a default", () => {
    const call = example.modules.get("tasks")!;
    expect(call.source).toBe("../../modules/tasks-platform");
    const passed = Object.keys(call).filter((name) => !["source", "providers", "depends_on"].includes(name));
    for (const name of passed) expect([...platform.variables.keys()], name).toContain(name);
    for (const [name, variable] of platform.variables) if (!("default" in variable)) expect(passed, name).toContain(name);
  });

  it("declares and uses its own variables", () => {
    const vars = referencedNames(example.references, "var");
    for (const name of vars) expect([...example.variables.keys()], `var.${name}`).toContain(name);
    for (const name of example.variables.keys()) expect([...vars], `variable "${name}" is never used`).toContain(name);
  });
});
