// An Embedder on any OpenAI-compatible POST /v1/embeddings endpoint: OpenAI,
// or text-embeddings-inference serving intfloat/multilingual-e5-small, whose
// model expects "passage: " before stored text and "query: " before searches.
import { z } from "zod";
import type { Embedder } from "../../tasks/sync/ports.ts";
import { requestJson } from "../http/json-request.ts";

export interface OpenAiEmbedderOptions {
  /** Base URL up to and including /v1, e.g. "http://tei:8080/v1" or "https://api.openai.com/v1". */
  baseUrl: string;
  /** Sent as a Bearer token when set. */
  apiKey?: string;
  model: string;
  /** Prepended to stored text and to search text. Defaults "passage: " and "query: " (e5). */
  passagePrefix?: string;
  queryPrefix?: string;
  /** Texts per request. Default 32. */
  batchSize?: number;
  timeoutMs?: number;
}

const embeddingsAnswer = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
});

export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  readonly #options: OpenAiEmbedderOptions;

  constructor(options: OpenAiEmbedderOptions) {
    this.model = options.model;
    this.#options = options;
  }

  async embed(texts: string[], kind: "passage" | "query", signal?: AbortSignal): Promise<number[][]> {
    const o = this.#options;
    const prefix = kind === "query" ? (o.queryPrefix ?? "query: ") : (o.passagePrefix ?? "passage: ");
    const size = o.batchSize ?? 32;
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += size) {
      const input = texts.slice(start, start + size).map((t) => prefix + t);
      const raw = await requestJson({
        upstream: "embeddings endpoint",
        method: "POST",
        url: `${o.baseUrl.replace(/\/+$/, "")}/embeddings`,
        headers: o.apiKey ? { Authorization: `Bearer ${o.apiKey}` } : {},
        body: { model: o.model, input, encoding_format: "float" },
        timeoutMs: o.timeoutMs ?? 60_000,
        ...(signal ? { signal } : {}),
      });
      const parsed = embeddingsAnswer.safeParse(raw);
      if (!parsed.success) throw new Error(`embeddings endpoint sent an unexpected answer: ${parsed.error.issues[0]?.message ?? "?"}`);
      const batch: (number[] | undefined)[] = Array.from({ length: input.length }, () => undefined);
      for (const item of parsed.data.data) if (item.index < input.length) batch[item.index] = item.embedding;
      if (batch.some((v) => v === undefined)) throw new Error(`embeddings endpoint returned ${parsed.data.data.length} vectors for ${input.length} texts`);
      vectors.push(...(batch as number[][]));
    }
    return vectors;
  }
}
