// CLI: `node emulators/gcs/main.ts [--port N] [--bucket NAME]…`.
// Prints the URL, logs requests, stops on SIGINT or SIGTERM.
import { parseArgs } from "node:util";
import { startGcsEmulator } from "./index.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    bucket: { type: "string", multiple: true },
    quiet: { type: "boolean", default: false },
  },
});

const port = values.port === undefined ? undefined : Number(values.port);
if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
  console.error(`--port must be a port number, got ${values.port}`);
  process.exit(2);
}

const emulator = await startGcsEmulator({
  port,
  buckets: values.bucket ?? [],
  log: values.quiet ? undefined : (line) => console.log(line),
});
console.log(`Cloud Storage emulator listening on ${emulator.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
