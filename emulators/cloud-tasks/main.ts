// Runs the Cloud Tasks emulator on its own:
//   node emulators/cloud-tasks/main.ts [--port 8123] [--certs-port 8124]
//     [--tombstone-seconds 3600] [--max-dispatches-per-second-cap 500]
import { parseArgs } from "node:util";
import { startCloudTasksEmulator } from "./index.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    "certs-port": { type: "string" },
    "tombstone-seconds": { type: "string" },
    "max-dispatches-per-second-cap": { type: "string" },
  },
});

function numberOption(name: keyof typeof values): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number, got "${raw}"`);
  return value;
}

const emulator = await startCloudTasksEmulator({
  port: numberOption("port"),
  certsPort: numberOption("certs-port"),
  tombstoneSeconds: numberOption("tombstone-seconds"),
  maxDispatchesPerSecondCap: numberOption("max-dispatches-per-second-cap"),
  log: (line) => console.log(`[cloud-tasks] ${line}`),
});
console.log(`Cloud Tasks emulator: grpc ${emulator.endpoint}`);
console.log(`OIDC certs: ${emulator.certsUrl} (JWKS ${emulator.jwksUrl})`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void emulator.close().then(() => process.exit(0));
  });
}
