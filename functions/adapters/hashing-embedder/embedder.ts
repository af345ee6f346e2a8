// An Embedder that needs no model and no network: the hashing trick over word
// unigrams and bigrams, their diacritic-free forms, and character 3-grams,
// L2-normalised. It is LEXICAL, not semantic: texts sharing words (or spellings)
// score close, synonyms and translations do not. Good for local runs, tests
// and benchmarks; production points EMBEDDER=openai at a real model.
import type { Embedder } from "../../tasks/sync/ports.ts";
import { isUnspaced, normaliseText, tokenise, withoutMarks } from "./normalise.ts";

/** How much each kind of feature weighs: words most, spellings least. */
const WEIGHT = { word: 1, bigram: 0.8, bare: 0.5, bareBigram: 0.4, char: 0.25, trigram: 0.2 };

export class HashingEmbedder implements Embedder {
  readonly model: string;
  readonly dimension: number;

  constructor(options: { dimension?: number } = {}) {
    this.dimension = options.dimension ?? 384;
    if (!Number.isInteger(this.dimension) || this.dimension < 8) throw new Error(`hashing embedder dimension ${this.dimension} must be a whole number, 8 or more`);
    this.model = `hashing-${this.dimension}`;
  }

  // Queries and passages are embedded alike: the e5 prefixes mean nothing to a hash.
  async embed(texts: string[], _kind?: "passage" | "query"): Promise<number[][]> {
    return texts.map((text) => this.vector(text));
  }

  vector(text: string): number[] {
    const vector = new Float64Array(this.dimension);
    const add = (feature: string, weight: number) => {
      const h = fnv1a(feature);
      // A second hash picks the sign, so collisions cancel out on average instead of piling up.
      vector[h % this.dimension]! += (mix(h) & 1 ? 1 : -1) * weight;
    };
    const tokens = tokenise(normaliseText(text));
    tokens.forEach((word, i) => {
      const bare = withoutMarks(word);
      add(`w:${word}`, WEIGHT.word);
      add(`a:${bare}`, WEIGHT.bare);
      const next = tokens[i + 1];
      if (next !== undefined) {
        add(`b:${word} ${next}`, WEIGHT.bigram);
        add(`ab:${bare} ${withoutMarks(next)}`, WEIGHT.bareBigram);
      }
      if (isUnspaced(word)) for (const ch of word) add(`c:${ch}`, WEIGHT.char);
      const padded = [...`#${word}#`];
      for (let k = 0; k + 3 <= padded.length; k += 1) add(`t:${padded.slice(k, k + 3).join("")}`, WEIGHT.trigram);
    });
    if (tokens.length === 0) add("empty:", 1); // a zero vector has no direction for cosine
    let norm = 0;
    for (const x of vector) norm += x * x;
    norm = Math.sqrt(norm);
    if (norm === 0) {
      // Every feature cancelled out (rare): fall back to a fixed direction.
      vector[0] = 1;
      norm = 1;
    }
    return Array.from(vector, (x) => x / norm);
  }
}

/** FNV-1a, 32 bits, over UTF-16 code units: fast and the same everywhere. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's finaliser: decorrelates the sign bit from the bucket. */
function mix(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
