// Duplicate deliveries: what a transport that delivers a task twice would do.
// Each chosen task is POSTed to the worker twice at once, signed as Cloud Tasks
// signs (the stack's emulator uses the signer the run gave it).
import { TASKS_SERVICE_ACCOUNT, type Stack } from "../emulators/stack.ts";
import type { OidcSigner } from "../emulators/oidc.ts";
import type { Accepted } from "./submitter.ts";

/** Delivers the single tasks among `chosen` twice each, at once; answers how many deliveries were sent. */
export async function deliverTwice(stack: Stack, signer: OidcSigner, chosen: Accepted[]): Promise<number> {
  const singles = chosen.filter((a) => a.unit.path === "/v1/tasks");
  const deliver = (a: Accepted) =>
    fetch(stack.workerUrl, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Authorization: `Bearer ${signer.sign({ audience: stack.workerUrl, email: TASKS_SERVICE_ACCOUNT })}`,
        "X-CloudTasks-TaskName": a.id,
        "X-CloudTasks-TaskRetryCount": "0",
      },
      body: JSON.stringify({ v: 1, id: a.id, type: a.unit.body.type, payload: a.unit.body.payload }),
      signal: AbortSignal.timeout(15_000),
    }).then((r) => r.body?.cancel(), () => undefined);
  await Promise.all(singles.flatMap((a) => [deliver(a), deliver(a)]));
  return singles.length * 2;
}
