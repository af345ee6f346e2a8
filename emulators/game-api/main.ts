// Runs the game API stand-in on its own: node emulators/game-api/main.ts --port 8090 --token RGAPI-dev
import { parseArgs } from "node:util";
import { startGameApiEmulator } from "./index.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    token: { type: "string" },
    "app-limits": { type: "string" },
    "method-limits": { type: "string" },
    "no-enforce": { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
});

if (values.port !== undefined && !/^\d+$/.test(values.port)) {
  console.error(`--port must be a number, got "${values.port}"`);
  process.exit(2);
}

const emulator = await startGameApiEmulator({
  ...(values.port === undefined ? {} : { port: Number(values.port) }),
  ...(values.token === undefined ? {} : { token: values.token }),
  ...(values["app-limits"] === undefined ? {} : { appLimits: values["app-limits"] }),
  ...(values["method-limits"] === undefined ? {} : { methodLimits: values["method-limits"] }),
  enforceLimits: !values["no-enforce"],
  ...(values.quiet ? {} : { log: (line: string) => console.log(line) }),
});
console.log(`game API (Riot match-v5) on ${emulator.url}  token ${emulator.token}`);
console.log(`  regions: ${emulator.url}/{americas|europe|asia|sea}/lol/match/v5/…`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
