// Runs the Cloud Scheduler emulator on its own:
//   node emulators/cloud-scheduler/main.ts [--port N] [--allow-seconds-cron]
// and prints where the client and the token verifiers should point.
import { parseArgs } from "node:util";
import { startCloudSchedulerEmulator } from "./index.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    "allow-seconds-cron": { type: "boolean", default: false },
  },
});

const port = values.port === undefined ? undefined : Number(values.port);
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
  console.error(`--port must be a TCP port number, not "${values.port}"`);
  process.exit(2);
}

const emulator = await startCloudSchedulerEmulator({
  port,
  allowSecondsCron: values["allow-seconds-cron"],
  log: (line) => console.log(line),
});
console.log(`cloud scheduler emulator listening on ${emulator.endpoint}`);
console.log(`oidc certs at ${emulator.certsUrl}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void emulator.close().then(() => process.exit(0));
  });
}
