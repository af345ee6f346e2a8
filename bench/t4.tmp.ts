import { startStack } from "../emulators/stack.ts";
import { queueControl } from "./queue-control.ts";
import { benchApi } from "./api.ts";
import { cpuMeter, perUnit, stackProcesses } from "./cpu.ts";
import { pauseScheduledJobs } from "./quiet-schedules.ts";
const stack = await startStack({ logLevel: "warn", maxDispatchesPerSecondCap: 5000, env: { ...(process.env.NODE_OPTS ? { NODE_OPTIONS: process.env.NODE_OPTS } : {}), ...(process.env.LC ? { LIFECYCLE_EVENTS: process.env.LC } : {}) } });
const q = queueControl(stack);
const api = benchApi(stack.apiUrl, stack.apiKey);
try {
  await pauseScheduledJobs(stack);
  await q.setRate("default", 5000);
  await q.pause("default");
  const N = Number(process.env.N ?? 1000);
  let next = 0;
  await Promise.all(Array.from({ length: 20 }, async () => { while (next < N) { next++; await api.submit("testing.noop", {}); } }));
  const m = cpuMeter(stackProcesses(stack));
  const t = performance.now();
  await q.resume("default");
  while (!(await q.drained("default"))) await new Promise((r) => setTimeout(r, 10));
  const s = (performance.now() - t) / 1000;
  console.log("drain", (N / s).toFixed(0), "/s", perUnit(m.read(), N));
} finally { api.close(); await q.close(); await stack.stop(); }
