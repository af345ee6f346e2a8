// Runs the Edge TTS stand-in on its own: node emulators/edge-tts/main.ts [--port 4010]
import { parseArgs } from "node:util";
import { startEdgeTtsEmulator } from "./index.ts";

const { values } = parseArgs({ options: { port: { type: "string" } } });
const port = values.port === undefined ? undefined : Number(values.port);
if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65_536)) {
  console.error(`--port must be a port number, got ${values.port}`);
  process.exit(2);
}

const emulator = await startEdgeTtsEmulator({ port, log: (line) => console.log(line) });
console.log(`edge-tts stand-in listening on ${emulator.url}`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void emulator.close().then(() => process.exit(0)));
}
