// The official Pub/Sub emulator (from the gcloud SDK), started as a java
// process on a loopback port. It honours push subscriptions, retry policies
// and dead-letter policies.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { freePort, waitForPort } from "./ports.ts";
import { MissingPrerequisiteError, requireBinary } from "./redis-server.ts";
import { killWithParent } from "./parent-watchdog.ts";

export interface PubSubEmulator {
  port: number;
  /** For PUBSUB_EMULATOR_HOST. */
  host: string;
  /** The java process: a fault run stalls it (SIGSTOP) to take Pub/Sub down for a while. */
  process: ChildProcess;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  "The Pub/Sub emulator ships with the Google Cloud SDK: `gcloud components install pubsub-emulator` " +
  "(or apt-get install google-cloud-cli-pubsub-emulator), and it needs Java: apt-get install -y openjdk-17-jre-headless. " +
  "Or set PUBSUB_EMULATOR_JAR to the emulator's jar.";

function findPubSubJar(): string {
  const explicit = process.env.PUBSUB_EMULATOR_JAR;
  if (explicit) {
    if (!existsSync(explicit)) throw new MissingPrerequisiteError(`PUBSUB_EMULATOR_JAR=${explicit} does not exist`);
    return explicit;
  }
  const roots = ["/usr/lib/google-cloud-sdk", "/usr/share/google-cloud-sdk", "/opt/google-cloud-sdk", path.join(process.env.HOME ?? "", "google-cloud-sdk")];
  const gcloud = spawnSync("sh", ["-c", "command -v gcloud"], { encoding: "utf8" });
  if (gcloud.status === 0) roots.unshift(path.resolve(path.dirname(gcloud.stdout.trim()), ".."));
  for (const root of roots) {
    const lib = path.join(root, "platform/pubsub-emulator/lib");
    if (!existsSync(lib)) continue;
    const jar = readdirSync(lib).find((f) => f.startsWith("cloud-pubsub-emulator") && f.endsWith(".jar"));
    if (jar) return path.join(lib, jar);
  }
  throw new MissingPrerequisiteError(`the Pub/Sub emulator is not installed. ${INSTALL_HINT}`);
}

export async function startPubSubEmulator(options: { port?: number; log?: (line: string) => void } = {}): Promise<PubSubEmulator> {
  requireBinary("java", "apt-get install -y openjdk-17-jre-headless");
  const jar = findPubSubJar();
  const port = options.port ?? (await freePort());
  const child = spawn("java", ["-jar", jar, "--host=127.0.0.1", `--port=${port}`], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  // Killed with this process however it ends (parent-watchdog.ts).
  killWithParent(child);
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) options.log?.(line);
  };
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitForPort(port, 30_000);
  return {
    port,
    host: `127.0.0.1:${port}`,
    process: child,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
