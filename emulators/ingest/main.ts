// CLI: `node emulators/ingest/main.ts [--port 8090]` serves the sample corpus until interrupted.
import { parseArgs } from "node:util";
import { startIngestEmulator } from "./index.ts";

const { values } = parseArgs({ options: { port: { type: "string" }, quiet: { type: "boolean" } } });
const port = values.port === undefined ? 8090 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a TCP port number, got ${values.port}`);
  process.exit(2);
}
const emulator = await startIngestEmulator({
  port,
  log: values.quiet ? undefined : (line) => console.log(`[ingest] ${line}`),
});
console.log(`Ingest API stand-in listening on ${emulator.url} (GET /documents)`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void emulator.close().then(() => process.exit(0)));
}
