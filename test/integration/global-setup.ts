// Starts the whole local stack once for the integration suite, on free ports,
// with an extra read-only key and a rate-limited key for the auth tests. The
// functions' lines go to a file a test can read (test/helpers/function-log.ts).
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startStack, type Stack } from "../../emulators/stack.ts";

export const READ_ONLY_KEY = "readonly_test_key_0123456789";
export const LIMITED_KEY = "limited_test_key_0123456789";

declare module "vitest" {
  export interface ProvidedContext {
    stack: { schedulerEndpoint: string; pubsubHost: string; apiUrl: string; apiKey: string; receiverUrl: string; bridgeUrl: string; bridgeToken: string; cloudTasksEndpoint: string; webhookSecret: string; workerUrl: string; edgeTtsUrl: string; keyPrefix: string; gcsUrl: string; gcsBucket: string; qdrantUrl: string; qdrantApiKey: string; ingestUrl: string; functionLog: string };
  }
}

let stack: Stack | undefined;

export default async function setup(project: TestProject) {
  const logDir = mkdtempSync(path.join(tmpdir(), "tq-it-"));
  const functionLog = path.join(logDir, "functions.log");
  // "<source> <line>" per line, api, worker and events only (what the platform itself writes).
  const logFile = createWriteStream(functionLog, { flags: "a" });
  const echo = Boolean(process.env.STACK_LOG);
  const cleanUp = async () => {
    await new Promise<void>((resolve) => logFile.end(() => resolve()));
    rmSync(logDir, { recursive: true, force: true });
  };
  try {
    stack = await startStack({
      keyPrefix: `it${Date.now().toString(36)}`,
      // Info: the request and task outcome lines are what the logging tests read.
      logLevel: process.env.STACK_LOG_LEVEL ?? "info",
      extraKeys: [
        { name: "reader", tenant: "dev", key: READ_ONLY_KEY, scopes: ["read"] },
        { name: "limited", tenant: "dev", key: LIMITED_KEY, scopes: ["submit"], rate_limit: "3/60s" },
      ],
      log: (source, line) => {
        if (source === "api" || source === "worker" || source === "events") logFile.write(`${source} ${line}\n`);
        if (echo) process.stderr.write(`${source} ${line}\n`);
      },
      // Small Edge TTS parts, so a test text of a few sentences is spoken in several parts.
      env: { EDGE_TTS_MAX_PART_BYTES: "600" },
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  try {
    provide(project, stack, functionLog);
  } catch (error) {
    await stack.stop();
    await cleanUp();
    throw error;
  }
  return async () => {
    await stack?.stop();
    await cleanUp();
  };
}

function provide(project: TestProject, stack: Stack, functionLog: string): void {
  project.provide("stack", {
    pubsubHost: stack.pubsub.host,
    schedulerEndpoint: stack.scheduler.endpoint,
    apiUrl: stack.apiUrl,
    apiKey: stack.apiKey,
    receiverUrl: stack.receiver.url,
    bridgeUrl: stack.bridge.url,
    bridgeToken: stack.bridge.token,
    cloudTasksEndpoint: stack.cloudTasks.endpoint,
    webhookSecret: stack.webhookSecret,
    workerUrl: stack.workerUrl,
    edgeTtsUrl: stack.edgeTts.url,
    keyPrefix: stack.env.KEY_PREFIX!,
    gcsUrl: stack.gcs.url,
    gcsBucket: stack.env.GCS_BUCKET!,
    qdrantUrl: stack.env.QDRANT_URL!,
    qdrantApiKey: stack.env.QDRANT_API_KEY ?? process.env.QDRANT_API_KEY ?? "",
    ingestUrl: stack.ingest.url,
    functionLog,
  });
}
