// Runs one function under functions-framework, as Cloud Functions does, in a
// child process bound to 127.0.0.1 (the loopback preload).
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitForPort } from "./ports.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface FunctionProcess {
  name: string;
  port: number;
  url: string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startFunction(options: {
  target: string;
  port: number;
  env: Record<string, string>;
  signatureType?: "http" | "cloudevent";
  /** Module functions-framework loads the target from. Default functions/index.ts. */
  source?: string;
  /** A bundle written by scripts/package/bundle.ts (writeBundle): the function runs from it, as deployed, instead of the sources. */
  bundle?: string;
  onOutput?: (line: string) => void;
  /** Called with the child at once, before it listens (the benchmark reads its CPU time at its first answer). */
  onSpawn?: (child: ChildProcess) => void;
}): Promise<FunctionProcess> {
  const main = path.join(root, "node_modules/@google-cloud/functions-framework/build/src/main.js");
  const child = spawn(
    process.execPath,
    [
      "--import", path.join(root, "emulators/loopback.ts"),
      main,
      `--target=${options.target}`,
      `--source=${options.bundle ?? options.source ?? path.join(root, "functions/index.ts")}`,
      `--port=${options.port}`,
      `--signature-type=${options.signatureType ?? "http"}`,
    ],
    // FUNCTION_TARGET as Cloud Functions sets it: the bundle's index.js picks the function's file by it.
    { cwd: root, env: { ...process.env, ...options.env, NODE_ENV: "production", FUNCTION_TARGET: options.target }, stdio: ["ignore", "pipe", "pipe"] },
  );
  options.onSpawn?.(child);
  // Whole lines, however the pipe splits them: a JSON log line arrives in one piece.
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => { if (line.trim()) options.onOutput?.(line); });
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const early = exited.then(() => {
    throw new Error(`function ${options.target} exited before listening (code ${child.exitCode})`);
  });
  try {
    await Promise.race([waitForPort(options.port, 60_000), early]);
  } catch (error) {
    // Never leave a half-started function behind.
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    throw error;
  } finally {
    early.catch(() => undefined);
  }
  return {
    name: options.target,
    port: options.port,
    url: `http://127.0.0.1:${options.port}`,
    process: child,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
