// The OpenAI-compatible Embedder against a small local /v1/embeddings server
// that records what it was sent (what text-embeddings-inference answers).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAiEmbedder } from "../../functions/adapters/openai-embeddings/embedder.ts";

const requests: { headers: http.IncomingHttpHeaders; body: { model: string; input: string[] } }[] = [];
let reply: ((body: { input: string[] }) => { status: number; body: unknown; headers?: Record<string, string> }) | null = null;
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const body = JSON.parse(raw) as { model: string; input: string[] };
      requests.push({ headers: req.headers, body });
      const answer = reply?.(body) ?? {
        status: 200,
        // Out of order on purpose: the adapter must sort by index.
        body: { object: "list", data: body.input.map((text, index) => ({ object: "embedding", index, embedding: [text.length, index] })).reverse() },
      };
      res.writeHead(answer.status, { "Content-Type": "application/json", ...answer.headers }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

describe("OpenAiEmbedder", () => {
  it("prefixes passages and queries (e5), batches, keeps the order, and sends the key", async () => {
    requests.length = 0;
    reply = null;
    const embedder = new OpenAiEmbedder({ baseUrl, model: "intfloat/multilingual-e5-small", apiKey: "sk-test", batchSize: 2 });
    const vectors = await embedder.embed(["a", "bb", "ccc"], "passage");
    expect(vectors).toEqual([[10, 0], [11, 1], [12, 0]]);
    expect(requests.map((r) => r.body.input)).toEqual([["passage: a", "passage: bb"], ["passage: ccc"]]);
    expect(requests[0]!.body.model).toBe("intfloat/multilingual-e5-small");
    expect(requests[0]!.headers.authorization).toBe("Bearer sk-test");
    await embedder.embed(["where"], "query");
    expect(requests.at(-1)!.body.input).toEqual(["query: where"]);
    const bare = new OpenAiEmbedder({ baseUrl, model: "m", passagePrefix: "", queryPrefix: "" });
    await bare.embed(["x"], "query");
    expect(requests.at(-1)!.body.input).toEqual(["x"]);
  });

  it("turns 429 into a retry-after, 400 into a final failure, a short answer into a retryable error", async () => {
    const embedder = new OpenAiEmbedder({ baseUrl, model: "m" });
    reply = () => ({ status: 429, body: { error: "slow down" }, headers: { "Retry-After": "7" } });
    await expect(embedder.embed(["x"], "passage")).rejects.toMatchObject({ name: "RetryAfterError", retryAfterSeconds: 7 });
    reply = () => ({ status: 413, body: { error: "input too long" } });
    await expect(embedder.embed(["x"], "passage")).rejects.toMatchObject({ name: "NonRetryableError", message: expect.stringContaining("413") });
    reply = () => ({ status: 200, body: { data: [] } });
    await expect(embedder.embed(["x", "y"], "passage")).rejects.toMatchObject({ name: "Error", message: expect.stringContaining("0 vectors for 2 texts") });
    reply = () => ({ status: 502, body: { error: "bad gateway" } });
    await expect(embedder.embed(["x"], "passage")).rejects.toMatchObject({ name: "Error" });
    reply = null;
  });
});
