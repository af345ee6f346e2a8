// The shell variables the examples in README.md and docs/ use, from a running stack: `npm run dev`
// prints them (and writes .dev/examples.env), and the test that runs the examples sets the same.
import type { Stack } from "./stack.ts";

export function exampleVariables(stack: Pick<Stack, "apiUrl" | "apiKey" | "receiver" | "edgeTts" | "ingest">): Record<string, string> {
  return {
    API: stack.apiUrl,
    KEY: stack.apiKey,
    // tq reads these (the same API and key).
    TQ_URL: stack.apiUrl,
    TQ_API_KEY: stack.apiKey,
    WEBHOOKS: stack.receiver.url,
    EDGE_TTS_URL: stack.edgeTts.url,
    INGEST: stack.ingest.url,
  };
}

/** `export NAME='value' …` lines, for a shell to source. */
export function exportLines(variables: Record<string, string>): string {
  return Object.entries(variables).map(([name, value]) => `export ${name}='${value.replaceAll("'", "'\\''")}'`).join("\n") + "\n";
}
