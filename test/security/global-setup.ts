// Starts a stack of its own for the security suite: two tenants (each with a
// submit and a read key), an admin, and a rate-limited key. Tests here stall
// and restart dependencies, so they do not share the integration suite's stack.
import type { TestProject } from "vitest/node";
import { TASKS_SERVICE_ACCOUNT, startStack, type Stack } from "../../emulators/stack.ts";
import { createOidcSigner } from "../../emulators/oidc.ts";

export const KEYS = {
  aliceSubmit: "sec_alice_submit_0123456789abcdef",
  aliceRead: "sec_alice_read_0123456789abcdef",
  bobSubmit: "sec_bob_submit_0123456789abcdef",
  limited: "sec_limited_0123456789abcdef",
  limitedDaily: "sec_limited_daily_0123456789abcdef",
} as const;

declare module "vitest" {
  export interface ProvidedContext {
    security: { workerToken: string; apiUrl: string; adminKey: string; receiverUrl: string; webhookSecret: string; callbackSigningKey: string; workerUrl: string; keyPrefix: string; redisPid: number; bridgeUrl: string; bridgeToken: string };
  }
}

let stack: Stack | undefined;

export default async function setup(project: TestProject) {
  // Tests forge deliveries as an attacker holding a valid worker token would (a replay).
  const signer = createOidcSigner();
  stack = await startStack({
    signer,
    keyPrefix: `sec${Date.now().toString(36)}`,
    logLevel: process.env.STACK_LOG_LEVEL ?? "warn",
    extraKeys: [
      { name: "alice-submit", tenant: "alice", key: KEYS.aliceSubmit, scopes: ["submit"] },
      { name: "alice-read", tenant: "alice", key: KEYS.aliceRead, scopes: ["read"] },
      { name: "bob-submit", tenant: "bob", key: KEYS.bobSubmit, scopes: ["submit"] },
      { name: "limited", tenant: "carol", key: KEYS.limited, scopes: ["submit"], rate_limit: "5/60s" },
      // A day's window: its fixed windows turn at midnight UTC only, so a test's few requests never straddle two.
      { name: "limited-daily", tenant: "dave", key: KEYS.limitedDaily, scopes: ["submit"], rate_limit: "5/1d" },
    ],
    log: process.env.STACK_LOG ? (source, line) => process.stderr.write(`${source} ${line}\n`) : undefined,
  });
  try {
    project.provide("security", {
      workerToken: signer.sign({ audience: stack.workerUrl, email: TASKS_SERVICE_ACCOUNT, lifetimeSeconds: 3 * 3600 }),
      apiUrl: stack.apiUrl,
      adminKey: stack.apiKey,
      receiverUrl: stack.receiver.url,
      webhookSecret: stack.webhookSecret,
      callbackSigningKey: stack.callbackSigningKey,
      workerUrl: stack.workerUrl,
      keyPrefix: stack.env.KEY_PREFIX!,
      redisPid: stack.redis.process.pid!,
      bridgeUrl: stack.bridge.url,
      bridgeToken: stack.bridge.token,
    });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return async () => {
    await stack?.stop();
  };
}
