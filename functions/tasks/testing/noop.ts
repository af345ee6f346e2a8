// Tasks for checking the platform itself: no-op (benchmarks), sleep (cancel),
// flaky (retries), fail (non-retryable). Harmless in production.
import { z } from "zod";
import { NonRetryableError, defineTask } from "../../core/task-kit.ts";

export const noop = defineTask({
  name: "testing.noop",
  queue: "default",
  visibility: "testing",
  description: "Does nothing; for benchmarks and smoke tests",
  input: z.object({ n: z.number().optional() }).loose(),
  output: z.object({ ok: z.literal(true) }),
  handler: async () => ({ ok: true as const }),
});

export const SLEEP_MAX_SECONDS = 8;

export const sleep = defineTask({
  name: "testing.sleep",
  queue: "default",
  visibility: "testing",
  description: "Sleeps, reporting progress; honours its signal",
  // The longest sleep it accepts ends (progress writes included) before its soft limit, so it always succeeds.
  input: z.strictObject({ seconds: z.number().min(0).max(SLEEP_MAX_SECONDS), ignore_signal: z.boolean().default(false) }),
  output: z.object({ slept_seconds: z.number() }),
  retry: { maxAttempts: 2, minBackoffSeconds: 1, maxBackoffSeconds: 2 },
  timeLimit: { softSeconds: SLEEP_MAX_SECONDS + 2, hardSeconds: SLEEP_MAX_SECONDS + 4 },
  handler: async (input, ctx) => {
    const started = Date.now();
    const steps = Math.max(1, Math.ceil(input.seconds * 10));
    for (let i = 0; i < steps; i += 1) {
      if (ctx.signal.aborted && !input.ignore_signal) throw ctx.signal.reason;
      await new Promise((r) => setTimeout(r, (input.seconds * 1000) / steps));
      await ctx.progress(((i + 1) / steps) * 100, `step ${i + 1}/${steps}`);
    }
    return { slept_seconds: (Date.now() - started) / 1000 };
  },
});

export const flaky = defineTask({
  name: "testing.flaky",
  queue: "default",
  visibility: "testing",
  description: "Fails its first `failures` attempts, then succeeds",
  input: z.strictObject({ failures: z.number().int().min(0).max(10), non_retryable: z.boolean().default(false) }),
  output: z.object({ attempt: z.number() }),
  retry: { maxAttempts: 3, minBackoffSeconds: 0.2, maxBackoffSeconds: 1 },
  handler: async (input, ctx) => {
    if (input.non_retryable) throw new NonRetryableError("asked to fail for good");
    if (ctx.attempt <= input.failures) throw new Error(`failing attempt ${ctx.attempt} on purpose`);
    return { attempt: ctx.attempt };
  },
});

export const add = defineTask({
  name: "testing.add",
  queue: "default",
  visibility: "testing",
  description: "Adds `add` to `value`: a chain step",
  input: z.object({ value: z.number().default(0), add: z.number() }),
  output: z.object({ value: z.number() }),
  handler: async (input) => ({ value: input.value + input.add }),
});

export const collect = defineTask({
  name: "testing.collect",
  queue: "default",
  visibility: "testing",
  description: "A chord callback: counts the results it was given",
  input: z.object({ results: z.array(z.unknown()), failed: z.array(z.unknown()).default([]) }).loose(),
  output: z.object({ count: z.number(), failed: z.number() }),
  handler: async (input) => ({ count: input.results.length, failed: input.failed.length }),
});
