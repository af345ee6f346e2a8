// After a SIGKILL of the process that started the local stack, nothing it
// started remains: redis-server, java (Pub/Sub), postgres and its backends, the
// functions (parent-watchdog.ts, loopback.ts).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { descendants, survivors, type ProcessEntry } from "./process-tree.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe.runIf(process.platform === "linux")("nothing left behind", () => {
  it("kills every process of a stack whose parent was SIGKILLed, within 10 s", async () => {
    const parent = spawn(process.execPath, ["--import", path.join(root, "emulators/loopback.ts"), path.join(root, "test/emulators/fixtures/stack-until-killed.ts")], {
      cwd: root, stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        parent.stdout.on("data", (chunk: Buffer) => { if (chunk.toString().includes("ready")) resolve(); });
        parent.once("exit", (code) => reject(new Error(`the stack exited before it was up (code ${code})`)));
      });
      const started = descendants(parent.pid!);
      const names = started.map((p) => p.command).join("\n");
      // Each kind the stack starts is there to be left behind, or the test checks nothing.
      for (const kind of ["redis-server", "java", "postgres", "functions-framework"]) expect(names).toContain(kind);

      parent.kill("SIGKILL");
      const deadline = Date.now() + 10_000;
      let left: ProcessEntry[] = started;
      while (Date.now() < deadline) {
        left = survivors(started);
        if (left.length === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(left.map((p) => `${p.pid} ${p.command}`)).toEqual([]);
    } finally {
      if (parent.exitCode === null && parent.signalCode === null) parent.kill("SIGKILL");
    }
  }, 120_000);
});
