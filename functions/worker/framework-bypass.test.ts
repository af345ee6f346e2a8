// The worker's deliveries skip express and functions-framework's per-request domain (functions/index.ts): its
// POSTs reach the handler straight from the hook on express, after the body limits; anything else goes on to express.
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installJsonFinalHandler } from "../api/framework-errors.ts";

let server: http.Server;
let url: string;
const seen: { body: unknown; domain: boolean }[] = [];

beforeAll(async () => {
  installJsonFinalHandler(async () => ({ maxJsonBytes: 1024, maxJsonDepth: 4, rawBodies: [] }), async (req, res) => {
    seen.push({ body: (req as { body?: unknown }).body, domain: (process as { domain?: unknown }).domain != null });
    res.writeHead(200).end("direct");
  });
  const app = express();
  app.use((_req, res) => void res.status(299).send("express"));
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (body: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });

describe("the direct path for a function's POSTs", () => {
  it("hands a POST whose body passed the limits to the handler, parsed, outside any domain", async () => {
    const answer = await post(JSON.stringify({ v: 2, id: "abc" }));
    expect([answer.status, await answer.text()]).toEqual([200, "direct"]);
    expect(seen.at(-1)).toEqual({ body: { v: 2, id: "abc" }, domain: false });
  });

  it("refuses a body past the limits before the handler sees it", async () => {
    const count = seen.length;
    expect((await post("[[[[[[[[]]]]]]]]")).status).toBe(400);
    expect((await post(JSON.stringify({ big: "x".repeat(2048) }))).status).toBe(413);
    expect(seen.length).toBe(count);
  });

  it("leaves other methods to express", async () => {
    const answer = await fetch(url);
    expect([answer.status, await answer.text()]).toEqual([299, "express"]);
  });
});
