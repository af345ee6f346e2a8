// Preloaded (node --import) into every process of the local stack: a server that
// asks for no host (functions-framework listens on all interfaces) gets 127.0.0.1.
import net from "node:net";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
  const [first, second] = args;
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    if (typeof second !== "string") args.splice(1, 0, "127.0.0.1");
  } else if (first && typeof first === "object" && !("host" in first) && !("path" in first)) {
    args[0] = { ...first, host: "127.0.0.1" };
  }
  return listen.apply(this, args as Parameters<typeof listen>);
} as typeof listen;

// A local function whose parent (npm run dev, a test run) died goes too, rather
// than keeping its port and CPU.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000).unref();
