// After a SIGKILL of the process that started the local stack, nothing it
// started remains: redis-server, java (Pub/Sub), postgres and its backends, the
// functions (parent-watchdog.ts, loopback.ts). Both for a script that starts the
// stack (a test run's global setup) and for `npm run dev` itself.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freePort } from "../../emulators/ports.ts";
import { descendants, survivors, type ProcessEntry } from "./process-tree.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function killAndWatch(script: string, readyWhen: string, env: Record<string, string> = {}): Promise<{ started: ProcessEntry[]; left: ProcessEntry[] }> {
  const parent = spawn(process.execPath, ["--import", path.join(root, "emulators/loopback.ts"), path.join(root, script)], {
    cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env },
  });
  try {
    let output = "";
    await new Promise<void>((resolve, reject) => {
      parent.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(readyWhen)) resolve();
      });
      parent.once("exit", (code) => reject(new Error(`the stack exited before it was up (code ${code})`)));
    });
    const started = descendants(parent.pid!);
    parent.kill("SIGKILL");
    const deadline = Date.now() + 10_000;
    let left = started;
    while (Date.now() < deadline) {
      left = survivors(started);
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return { started, left };
  } finally {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill("SIGKILL");
  }
}

function expectNothingLeft({ started, left }: { started: ProcessEntry[]; left: ProcessEntry[] }): void {
  const names = started.map((p) => p.command).join("\n");
  // Each kind the stack starts is there to be left behind, or the test checks nothing.
  for (const kind of ["redis-server", "java", "postgres", "functions-framework"]) expect(names).toContain(kind);
  expect(left.map((p) => `${p.pid} ${p.command}`)).toEqual([]);
}

describe.runIf(process.platform === "linux")("nothing left behind", () => {
  it("kills every process of a stack whose parent was SIGKILLed, within 10 s", async () => {
    expectNothingLeft(await killAndWatch("test/emulators/fixtures/stack-until-killed.ts", "ready"));
  }, 120_000);

  it("does the same for npm run dev (emulators/dev.ts)", async () => {
    expectNothingLeft(await killAndWatch("emulators/dev.ts", "Ctrl-C stops everything", { API_PORT: String(await freePort()), LOG_LEVEL: "warn" }));
  }, 120_000);
});
