// Serving past express: the function gets node's request with the body the gate parsed, never runs in a
// domain (whose async hooks would tax every promise of the process), and what the framework answers itself
// (favicon, robots) stays its own; a function that rejects answers 500 in our JSON shape (the framework answered
// with its own crash text; our functions catch what they throw, so only a bug gets here).
import type { AddressInfo } from "node:net";
import type { Server, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http } from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { installJsonFinalHandler, serveDirectly } from "./framework.ts";
import { sendJson, type ApiRequest } from "./json.ts";

const seen: { inDomain: boolean; body: unknown }[] = [];
const fn = async (req: ApiRequest, res: ServerResponse): Promise<void> => {
  seen.push({ inDomain: (process as { domain?: unknown }).domain != null, body: req.body });
  if (req.url === "/boom") throw new Error("a bug");
  sendJson(res, 200, { ok: true });
};

let server: Server;
let base: string;
beforeAll(async () => {
  installJsonFinalHandler(async () => ({ maxJsonBytes: 100, maxJsonDepth: 4, rawBodies: [] }));
  http("direct", fn);
  serveDirectly(fn);
  server = getTestServer("direct");
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("serveDirectly", () => {
  it("hands the function the gated body, outside any domain", async () => {
    const posted = await fetch(`${base}/v1/x`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"a":1}' });
    expect(posted.status).toBe(200);
    const got = await fetch(`${base}/v1/x`);
    expect(got.status).toBe(200);
    expect(seen).toEqual([{ inDomain: false, body: { a: 1 } }, { inDomain: false, body: undefined }]);
  });

  it("keeps the gate in front and the framework's own answers", async () => {
    const big = await fetch(`${base}/v1/x`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ a: "x".repeat(200) }) });
    expect(big.status).toBe(413);
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(404);
  });

  it("answers a rejection 500 in the JSON shape", async () => {
    const answer = await fetch(`${base}/boom`);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({ error: { code: "internal", message: "internal error" } });
  });
});
