// README "Verifying webhooks": the receiver code there is extracted as written and
// run against the platform's own senders (notifier and callback sender over real
// HTTP): both kinds verify, forgeries and other tenants' callbacks are 401, and a
// duplicate delivery is handled once.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhookNotifier } from "../../functions/adapters/webhook/notifier.ts";
import { SignedCallbackSender } from "../../functions/adapters/webhook/callback-sender.ts";
import { callbackSecretFor } from "../../functions/adapters/webhook/callback-secret.ts";
import { OutboundGuard } from "../../functions/adapters/remote-files/outbound-guard.ts";
import { isNonRetryable } from "../../functions/core/errors.ts";

const MARKER = "<!-- readme-webhooks.ts -->";
const SIGNING_KEY = "readme-test-signing-key-0123456789abcdef";
const NOTIFICATION_SECRET = "readme-test-notification-secret";

/** The ```ts block right after the marker in README.md. */
function readmeSnippet(): string {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const at = readme.indexOf(MARKER);
  if (at < 0) throw new Error(`README.md has no ${MARKER}`);
  const block = /```ts\n([\s\S]*?)\n```/.exec(readme.slice(at));
  if (!block) throw new Error(`no \`\`\`ts block after ${MARKER}`);
  return block[1]!;
}

type Snippet = {
  createReceiver: (secrets: { notification: string; callback: string }, handle: (kind: string, body: unknown) => void) => http.Server;
  verifyCallback: (secret: string, headers: http.IncomingHttpHeaders, rawBody: string) => boolean;
};

let dir: string;
let server: http.Server;
let url: string;
const handled: { kind: string; body: unknown }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "readme-webhooks-"));
  const file = join(dir, "readme-webhooks.ts");
  writeFileSync(file, readmeSnippet());
  const snippet = (await import(pathToFileURL(file).href)) as Snippet;
  server = snippet.createReceiver({ notification: NOTIFICATION_SECRET, callback: callbackSecretFor(SIGNING_KEY, "alice") }, (kind, body) => handled.push({ kind, body }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const callbacks = (signingKey: string) =>
  new SignedCallbackSender({ signingKey, guard: new OutboundGuard({ allowOrigins: url }), timeoutMs: 5_000 });

describe("the README's webhook receiver", () => {
  it("accepts a notification once, however often it is delivered", async () => {
    const notifier = new WebhookNotifier({ url: `${url}/notifications`, secret: NOTIFICATION_SECRET, timeoutMs: 5_000 });
    await notifier.send("system_notification", { title: "hi" }, { id: "task-n1" });
    await notifier.send("system_notification", { title: "hi" }, { id: "task-n1" });
    expect(handled.filter((h) => h.kind === "notification")).toEqual([
      { kind: "notification", body: expect.objectContaining({ event: "system_notification", delivery_id: "task-n1", data: { title: "hi" } }) },
    ]);
  });

  it("refuses a notification signed with another secret", async () => {
    const forged = new WebhookNotifier({ url: `${url}/notifications`, secret: "not-the-secret", timeoutMs: 5_000 });
    const error = await forged.send("system_notification", {}, { id: "task-n2" }).catch((e: unknown) => e);
    expect(isNonRetryable(error)).toBe(true);
  });

  it("accepts its tenant's callback once, however often it is delivered", async () => {
    const delivery = { url: `${url}/callbacks`, body: { type: "task.succeeded", task_id: "t1" }, tenant: "alice", id: "msg_cb1" };
    await callbacks(SIGNING_KEY).post(delivery);
    await callbacks(SIGNING_KEY).post(delivery);
    expect(handled.filter((h) => h.kind === "callback")).toEqual([{ kind: "callback", body: { type: "task.succeeded", task_id: "t1" } }]);
  });

  it("refuses another tenant's callback, and one signed with another key", async () => {
    const bob = await callbacks(SIGNING_KEY).post({ url: `${url}/callbacks`, body: {}, tenant: "bob", id: "msg_cb2" }).catch((e: unknown) => e);
    expect(isNonRetryable(bob)).toBe(true);
    const other = await callbacks(`${SIGNING_KEY}-other`).post({ url: `${url}/callbacks`, body: {}, tenant: "alice", id: "msg_cb3" }).catch((e: unknown) => e);
    expect(isNonRetryable(other)).toBe(true);
  });
});
