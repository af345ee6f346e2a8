// Starts a private redis-server (no persistence) on a loopback port, for the
// local stack and the tests: never the machine's shared Redis.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { freePort, waitForPort } from "./ports.ts";
import { killWithParent } from "./parent-watchdog.ts";

export interface RedisServer {
  port: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export class MissingPrerequisiteError extends Error {
  override name = "MissingPrerequisiteError";
}

export function requireBinary(binary: string, install: string): void {
  const found = spawnSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" });
  if (found.status !== 0) {
    throw new MissingPrerequisiteError(`${binary} is not installed. Install it with: ${install}`);
  }
}

export async function startRedisServer(options: { port?: number } = {}): Promise<RedisServer> {
  requireBinary("redis-server", "sudo apt-get install -y redis-server");
  const port = options.port ?? (await freePort());
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
    // A group of its own, killed with this process however it ends (parent-watchdog.ts).
    { stdio: ["ignore", "ignore", "inherit"], detached: true },
  );
  killWithParent(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitForPort(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
