// `npm run dev`: the whole platform on loopback, until Ctrl-C (or SIGINT/SIGTERM
// to its pid: package.json `exec`s node, so npm's own pid reaches it).
import { mkdirSync, writeFileSync } from "node:fs";
import { startStack } from "./stack.ts";
import { MissingPrerequisiteError } from "./redis-server.ts";
import { parseApiKeys } from "../functions/api/auth.ts";
import { exampleVariables, exportLines } from "./example-variables.ts";
import { formatLine, wantsColour } from "./dev-log-format.ts";

async function main(): Promise<void> {
  const apiPort = process.env.API_PORT ? Number(process.env.API_PORT) : 8080;
  // Keys of your own (production's API_KEYS format, hashes only) beside the dev key: try two tenants locally.
  // parseApiKeys validates (and names what is wrong); the entries go on as given, every field kept.
  const ownKeys = process.env.API_KEYS ? ownApiKeys(process.env.API_KEYS) : [];
  if (ownKeys.some((k) => k.name === "dev")) throw new Error('API_KEYS: the name "dev" belongs to the dev key; pick another');
  // A receiver of your own for the user-system webhooks replaces the stand-in; it verifies with your secret.
  const webhookUrl = process.env.NOTIFY_WEBHOOK_URL;
  const webhookSecret = process.env.NOTIFY_WEBHOOK_SECRET;
  if (webhookUrl && !webhookSecret) throw new Error("NOTIFY_WEBHOOK_URL is set: set NOTIFY_WEBHOOK_SECRET too, the secret your receiver verifies signatures with");
  const env: Record<string, string> = {
    // Your own receivers or image hosts on loopback or a private network (README: OUTBOUND_ALLOW_ORIGINS).
    ...(process.env.OUTBOUND_ALLOW_ORIGINS ? { OUTBOUND_ALLOW_ORIGINS: process.env.OUTBOUND_ALLOW_ORIGINS } : {}),
    ...(webhookUrl ? { NOTIFY_WEBHOOK_URL: webhookUrl } : {}),
  };
  const colour = wantsColour(process.stdout);
  const stack = await startStack({
    apiPort,
    hashedKeys: ownKeys,
    ...(process.env.DEV_API_KEY ? { apiKey: process.env.DEV_API_KEY } : {}),
    logLevel: process.env.LOG_LEVEL ?? "info",
    // Set DATABASE_URL to use a database of your own (migrated at start); unset, a private server starts.
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
    ...(webhookSecret ? { webhookSecret } : {}),
    env,
    log: (source, line) => process.stdout.write(`${formatLine(source, line, colour)}\n`),
  });
  // For commands run beside the stack (npm run schedules:apply -- --local): loopback only, gitignored.
  mkdirSync(".dev", { recursive: true });
  writeFileSync(".dev/stack.env", Object.entries(stack.env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join("\n") + "\n", { mode: 0o600 });
  // The variables README.md and docs/ examples use (README, "Trying the examples"): `source .dev/examples.env`.
  const examples = exportLines(exampleVariables(stack));
  writeFileSync(".dev/examples.env", examples, { mode: 0o600 });
  process.stdout.write(
    [
      "",
      "The platform is running on loopback:",
      `  API          ${stack.apiUrl}        (OpenAPI: ${stack.apiUrl}/v1/openapi.json)`,
      `  API key      ${stack.apiKey}${ownKeys.length ? ` (admin; also from API_KEYS: ${ownKeys.map((k) => `${k.name}${k.tenant ? `@${k.tenant}` : ""}`).join(", ")})` : ""}`,
      `  worker       ${stack.workerUrl}`,
      `  Cloud Tasks  ${stack.cloudTasks.endpoint} (gRPC emulator)`,
      `  Redis        ${stack.bridge.url} (Upstash REST bridge) → redis-server :${stack.redis.port}`,
      webhookUrl
        ? `  webhooks     ${webhookUrl} (NOTIFY_WEBHOOK_URL); callbacks: ${stack.receiver.url}/__received`
        : `  webhooks     ${stack.receiver.url}/__received (what the user system received)`,
      `  Edge TTS     ${stack.edgeTts.url} (stand-in; faults: POST /__control/fault {"fault":"no-audio"})`,
      `  Qdrant       ${stack.env.QDRANT_URL} (stand-in unless QDRANT_URL was set)`,
      `  ingest API   ${stack.ingest.url}/documents (sample corpus; change one: PUT /__control/documents/{id})`,
      `  Postgres     ${stack.postgres ? stack.postgres.url : `DATABASE_URL (${new URL(stack.databaseUrl).host})`}`,
      `  game API     ${stack.gameApi.url}/{routing} (Riot match-v5 stand-in; key ${stack.gameApi.token})`,
      "",
      "Try:",
      `  curl -s -X POST ${stack.apiUrl}/v1/tasks -H 'X-API-Key: ${stack.apiKey}' -H 'Content-Type: application/json' \\`,
      `    -d '{"type":"notify.system","payload":{"notification_type":"info","title":"Hello","message":"It works"}}'`,
      "",
      "The examples in README.md and docs/ use these (also in .dev/examples.env: source it):",
      ...examples.trimEnd().split("\n").map((line) => `  ${line}`),
      "",
      "Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write("\nstopping…\n");
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

type HashedKey = { name: string; tenant?: string; sha256: string; scopes: string[]; rate_limit?: string };

function ownApiKeys(json: string): HashedKey[] {
  parseApiKeys(json);
  return JSON.parse(json) as HashedKey[];
}

main().catch((error: unknown) => {
  if (error instanceof MissingPrerequisiteError) {
    process.stderr.write(`\n${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`npm run dev failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
