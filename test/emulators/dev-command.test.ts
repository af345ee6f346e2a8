// `npm run dev` as a user runs it: stdout redirected (no colour escapes, readable
// lines), a webhook receiver of their own from NOTIFY_WEBHOOK_URL/_SECRET, and
// SIGINT sent to npm's own pid stopping everything it started.
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { freePort } from "../../emulators/ports.ts";
import { descendants, survivors } from "./process-tree.ts";
import { eventually } from "../helpers/eventually.ts";
import { verifySignature } from "../../functions/adapters/webhook/signature.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function ownReceiver() {
  const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.runIf(process.platform === "linux")("npm run dev", () => {
  it("writes readable lines without escapes, posts webhooks to NOTIFY_WEBHOOK_URL, and stops on SIGINT to npm's pid", async () => {
    const receiver = await ownReceiver();
    const secret = randomBytes(16).toString("hex");
    const apiKey = `dev_${randomBytes(12).toString("hex")}`;
    const apiPort = await freePort();
    // Colourless because stdout is a pipe, not because of NO_COLOR.
    const { NO_COLOR: _noColour, ...inherited } = process.env;
    const npm = spawn("npm", ["run", "dev"], {
      cwd: root, stdio: ["ignore", "pipe", "pipe"],
      env: { ...inherited, API_PORT: String(apiPort), LOG_LEVEL: "info", DEV_API_KEY: apiKey, NOTIFY_WEBHOOK_URL: receiver.url, NOTIFY_WEBHOOK_SECRET: secret },
    });
    let output = "";
    npm.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
    try {
      await eventually(() => expect(output).toContain("Ctrl-C stops everything"), { timeoutMs: 120_000, intervalMs: 200 });
      expect(output).toContain(`webhooks     ${receiver.url}`);
      const marker = `dev-${Date.now()}`;
      const submitted = await fetch(`http://127.0.0.1:${apiPort}/v1/tasks`, {
        method: "POST", headers: { "X-API-Key": apiKey, "Content-Type": "application/json" },
        body: JSON.stringify({ type: "notify.system", payload: { notification_type: "info", title: "t", message: marker } }),
      });
      expect(submitted.status).toBe(202);
      const hook = await eventually(() => {
        const found = receiver.received.find((r) => r.body.includes(marker));
        expect(found).toBeDefined();
        return found!;
      }, { timeoutMs: 30_000, intervalMs: 100 });
      expect(verifySignature(secret, hook.body, String(hook.headers["x-signature"]))).toBe(true);
      // The api's request line, read back as text: time, source, severity, message, fields.
      await eventually(() => expect(output).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} api +INFO +request .*method=POST route=\/v1\/tasks status=202/m), { timeoutMs: 10_000 });
      expect(output).not.toContain("\x1b");

      const started = descendants(npm.pid!);
      expect(started.map((p) => p.command).join("\n")).toContain("functions-framework");
      npm.kill("SIGINT");
      await eventually(() => expect(npm.exitCode ?? npm.signalCode).not.toBeNull(), { timeoutMs: 30_000, intervalMs: 200 });
      await eventually(() => expect(survivors(started).map((p) => `${p.pid} ${p.command}`)).toEqual([]), { timeoutMs: 10_000, intervalMs: 200 });
      expect(await exited).toBe(0);
    } finally {
      if (npm.exitCode === null && npm.signalCode === null) {
        for (const p of descendants(npm.pid!)) {
          try { process.kill(p.pid, "SIGKILL"); } catch { /* gone already */ }
        }
        npm.kill("SIGKILL");
      }
      await receiver.close();
    }
  }, 180_000);
});
