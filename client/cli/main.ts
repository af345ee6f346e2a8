// tq: parse the command line, run the command over the typed client, map what
// went wrong to an exit code and a message on stderr.
import { createClient, TaskPlatformError, WaitTimeoutError } from "../index.ts";
import { helpText, parseInvocation, UsageError } from "./args.ts";
import { commands, Exit, type Io } from "./commands.ts";

/** Where the API is: --url, then TQ_URL, then the local stack's default. */
const DEFAULT_URL = "http://127.0.0.1:8080";

export interface Environment {
  TQ_URL?: string | undefined;
  TQ_API_KEY?: string | undefined;
}

export async function main(argv: string[], env: Environment, io: Io, fetchImpl?: typeof fetch): Promise<Exit> {
  try {
    const inv = parseInvocation(argv);
    if (inv.command === "help") {
      io.out(helpText(inv.operands[0]));
      return Exit.ok;
    }
    // The key comes from the environment only: a command-line argument would show in ps.
    const apiKey = env.TQ_API_KEY;
    if (!apiKey) throw new UsageError("TQ_API_KEY is not set (npm run dev prints a dev key)");
    const client = createClient({ url: inv.url ?? env.TQ_URL ?? DEFAULT_URL, apiKey, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
    return await commands[inv.command](inv, client, io);
  } catch (error) {
    return failure(error, io);
  }
}

function failure(error: unknown, io: Io): Exit {
  if (error instanceof UsageError) {
    io.err(`tq: ${error.message}\n`);
    return Exit.usage;
  }
  if ((error as Error).name === "AbortError") {
    io.err("tq: interrupted; the task goes on (tq status ID)\n");
    return Exit.notFinished;
  }
  if (error instanceof WaitTimeoutError) {
    io.err(`tq: ${error.message}\n`);
    return Exit.notFinished;
  }
  if (error instanceof TaskPlatformError) {
    const status = error.details?.status;
    // The result of a task that ended badly is the task's failure, not the API's.
    const ended = error.code === "conflict" && (status === "FAILURE" || status === "REVOKED") && "error" in (error.details ?? {});
    io.err(`tq: ${error.message} (${error.code}${error.status ? `, HTTP ${error.status}` : ""})\n`);
    if (error.details && !ended) io.err(`${JSON.stringify(error.details)}\n`);
    return ended ? Exit.taskFailed : Exit.api;
  }
  throw error;
}
