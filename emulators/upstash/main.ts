// CLI: node emulators/upstash/main.ts --redis-port 6390 [--port 8079] [--token t]
// The token is --token, else UPSTASH_REDIS_REST_TOKEN, else a random one; the
// URL and token are printed so a shell can export them.
import { parseArgs } from "node:util";
import { startUpstashBridge } from "./index.ts";

const usage = "usage: main.ts --redis-port <port> [--port <port>] [--token <token>]";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "redis-port": { type: "string" },
      port: { type: "string" },
      token: { type: "string" },
    },
  });
  const redisPort = Number(values["redis-port"]);
  if (!Number.isInteger(redisPort) || redisPort <= 0) throw new Error(`--redis-port is required\n${usage}`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !Number.isInteger(port)) throw new Error(`--port must be a number\n${usage}`);

  const bridge = await startUpstashBridge({
    redisPort,
    port,
    token: values.token ?? process.env.UPSTASH_REDIS_REST_TOKEN,
  });
  console.log(`UPSTASH_REDIS_REST_URL=${bridge.url}`);
  console.log(`UPSTASH_REDIS_REST_TOKEN=${bridge.token}`);

  const stop = () => {
    bridge.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
