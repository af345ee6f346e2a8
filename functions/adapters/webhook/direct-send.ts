// Send for URLs the operator configured (NOTIFY_WEBHOOK_URL), not a caller:
// these may name a private address on purpose, so no outbound guard. Anything a
// caller can influence goes through OutboundGuard.send instead.
import type { HopResponse } from "../remote-files/outbound-guard.ts";
import type { Send } from "./deliver.ts";

export const directSend: Send = async (url, request) => {
  const response = await fetch(url, { method: request.method, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}), signal: request.signal, redirect: "manual" });
  const answer: HopResponse = {
    status: response.status,
    header: (name) => response.headers.get(name) ?? undefined,
    body: (async function* () { /* the answer's body is never read */ })(),
    discard: () => void response.body?.cancel().catch(() => undefined),
  };
  return answer;
};
