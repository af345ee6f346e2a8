// CLI: `node emulators/qdrant/main.ts [--port 6333] [--api-key KEY]` serves the stand-in until interrupted.
import { parseArgs } from "node:util";
import { startQdrantEmulator } from "./index.ts";

const { values } = parseArgs({ options: { port: { type: "string" }, "api-key": { type: "string" }, quiet: { type: "boolean" } } });
const port = values.port === undefined ? 6333 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a TCP port number, got ${values.port}`);
  process.exit(2);
}
const emulator = await startQdrantEmulator({
  port,
  ...(values["api-key"] ? { apiKey: values["api-key"] } : {}),
  log: values.quiet ? undefined : (line) => console.log(`[qdrant] ${line}`),
});
console.log(`Qdrant stand-in listening on ${emulator.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void emulator.close().then(() => process.exit(0)));
}
