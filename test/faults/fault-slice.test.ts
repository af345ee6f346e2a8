// A slice of `npm run faults` in the suite: 150 tasks under every fault once or
// more (faults/README.md), in its own stack. Nothing lost or stuck; every chord with
// exactly one callback, every chain complete, the probes taken over.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const LINE = /^faults: (\d+) tasks, (\d+) lost, (\d+) stuck, (\d+) duplicate effects, (\d+)\/(\d+) chords with exactly one callback, (\d+)\/(\d+) chains complete, takeover max (\S+) s$/m;

function runFaults(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", path.join(root, "emulators/loopback.ts"), path.join(root, "faults/main.ts"), ...args], {
      cwd: root, stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

it("loses nothing under faults: 150 tasks", async () => {
  const run = await runFaults(["--tasks", "150", "--settle", "40", "--takeover-wait", "45", "--min-fault-seconds", "20"]);
  const line = LINE.exec(run.stdout);
  const context = `${run.stdout}\n${run.stderr.split("\n").slice(-25).join("\n")}`;
  expect(line, context).not.toBeNull();
  const [, tasks, lost, stuck, duplicates, chordsOk, chords, chainsOk, chains, takeover] = line!;
  // Some submissions may be refused for good (503s past the driver's patience): most must be taken.
  expect(Number(tasks), context).toBeGreaterThanOrEqual(100);
  // Duplicate effects are shown, not failed: webhooks are at least once (a kill or a Redis stall between the POST and
  // the outcome's write sends again, with the same delivery id); a chord's second callback fails the chord count.
  expect({ lost: Number(lost), stuck: Number(stuck) }, `${context}\n(duplicate effects: ${duplicates})`).toEqual({ lost: 0, stuck: 0 });
  expect(Number(chordsOk), context).toBe(Number(chords));
  expect(Number(chainsOk), context).toBe(Number(chains));
  expect(takeover, context).toMatch(/^\d+(\.\d+)?$/);
  expect(run.code, context).toBe(0);
}, 300_000);
