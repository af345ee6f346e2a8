// Vector configuration and exact scoring. Vectors are stored as Float32Array
// (Qdrant stores f32); Cosine vectors are normalised on the way in, as Qdrant
// does, so Cosine search is a dot product and stored vectors read back unit-length.
import { formatError, unsupported, wrongInput } from "./errors.ts";
import { isPlainObject } from "./json.ts";

export const Distance = ["Cosine", "Euclid", "Dot", "Manhattan"] as const;
export type Distance = (typeof Distance)[number];

/** The unnamed ("default") vector's name, as in Qdrant. */
export const DEFAULT_VECTOR = "";

export interface VectorParams {
  size: number;
  distance: Distance;
  /** Settings accepted and echoed back but without effect here (hnsw_config, on_disk, …). */
  echoed: Record<string, unknown>;
}

export interface VectorsConfig {
  /** false: one unnamed vector configured as `{size, distance}`; true: a map of names. */
  named: boolean;
  params: Map<string, VectorParams>;
}

export function parseVectorsConfig(raw: unknown): VectorsConfig {
  if (raw === undefined || raw === null) return { named: true, params: new Map() };
  if (!isPlainObject(raw)) throw formatError("data did not match any variant of untagged enum VectorsConfig");
  if ("size" in raw || "distance" in raw) {
    return { named: false, params: new Map([[DEFAULT_VECTOR, parseVectorParams(raw)]]) };
  }
  const params = new Map<string, VectorParams>();
  for (const [name, value] of Object.entries(raw)) params.set(name, parseVectorParams(value));
  return { named: true, params };
}

function parseVectorParams(raw: unknown): VectorParams {
  if (!isPlainObject(raw)) throw formatError("data did not match any variant of untagged enum VectorsConfig");
  const { size, distance, ...rest } = raw;
  if (typeof size !== "number" || !Number.isInteger(size) || size < 0) throw formatError("missing field `size`");
  if (size < 1 || size > 65536) throw formatError(`size: value ${size} invalid, must be from 1 to 65536`);
  if (!Distance.includes(distance as Distance)) {
    throw formatError(`unknown variant \`${String(distance)}\`, expected one of \`Cosine\`, \`Euclid\`, \`Dot\`, \`Manhattan\``);
  }
  if (rest.multivector_config != null) throw unsupported("multivector_config");
  return { size, distance: distance as Distance, echoed: rest };
}

export function vectorsConfigJson(config: VectorsConfig): unknown {
  const one = (p: VectorParams) => ({ size: p.size, distance: p.distance, ...p.echoed });
  if (!config.named) return one(config.params.get(DEFAULT_VECTOR) as VectorParams);
  return Object.fromEntries([...config.params].map(([name, p]) => [name, one(p)]));
}

export function paramsFor(config: VectorsConfig, name: string): VectorParams {
  const params = config.params.get(name);
  if (!params) throw wrongInput(`Not existing vector name error: ${name}`);
  return params;
}

/** Validates one dense vector against its config and stores it as f32. */
export function toStoredVector(raw: unknown, params: VectorParams): Float32Array {
  if (!Array.isArray(raw) || !raw.every((x) => typeof x === "number")) {
    if (isPlainObject(raw) && ("text" in raw || "image" in raw || "object" in raw)) throw unsupported("Server-side inference");
    if (isPlainObject(raw) && "indices" in raw) throw unsupported("Sparse vectors");
    throw formatError("data did not match any variant of untagged enum VectorStruct");
  }
  if (raw.length !== params.size) {
    throw wrongInput(`Vector dimension error: expected dim: ${params.size}, got ${raw.length}`);
  }
  const vector = Float32Array.from(raw as number[]);
  return params.distance === "Cosine" ? normalise(vector) : vector;
}

function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const length = Math.sqrt(sum);
  if (length < 1.1920929e-7) return vector; // f32::EPSILON: Qdrant leaves near-zero vectors as they are
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) / length;
  return vector;
}

/** Similarity (Cosine, Dot: higher is better) or distance (Euclid, Manhattan: lower is better). */
export function score(distance: Distance, a: Float32Array, b: Float32Array): number {
  let acc = 0;
  const n = a.length;
  switch (distance) {
    case "Cosine":
    case "Dot":
      for (let i = 0; i < n; i++) acc += (a[i] as number) * (b[i] as number);
      return Math.fround(acc);
    case "Euclid":
      for (let i = 0; i < n; i++) {
        const d = (a[i] as number) - (b[i] as number);
        acc += d * d;
      }
      return Math.fround(Math.sqrt(acc));
    case "Manhattan":
      for (let i = 0; i < n; i++) acc += Math.abs((a[i] as number) - (b[i] as number));
      return Math.fround(acc);
  }
}

export function higherIsBetter(distance: Distance): boolean {
  return distance === "Cosine" || distance === "Dot";
}

/**
 * The shortest decimal that reads back as the same f32, which is what Qdrant's
 * serializer prints (0.1, not 0.10000000149011612). Candidates are built with
 * arithmetic, not strings: n / 10^k is the double nearest that decimal, so it
 * also prints short. Nine significant digits always round-trip an f32.
 */
export function f32Json(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const f = Math.fround(x);
  const exponent = Math.floor(Math.log10(Math.abs(f)));
  const round = (digits: number) => {
    const k = digits - 1 - exponent;
    return k >= 0 ? Math.round(f * pow10(k)) / pow10(k) : Math.round(f / pow10(-k)) * pow10(-k);
  };
  // Round-tripping is monotonic in the number of digits: binary-search the fewest.
  let low = 1;
  let high = 9;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (Math.fround(round(mid)) === f) high = mid;
    else low = mid + 1;
  }
  const candidate = round(low);
  return Math.fround(candidate) === f ? candidate : f;
}

const POW10 = Array.from({ length: 64 }, (_, i) => 10 ** i);
const pow10 = (k: number) => POW10[k] ?? 10 ** k;

/** Stored vectors never change (upsert replaces them), so each is formatted once. */
const formatted = new WeakMap<Float32Array, number[]>();

export function vectorJson(vector: Float32Array): number[] {
  let json = formatted.get(vector);
  if (!json) {
    json = Array.from(vector, f32Json);
    formatted.set(vector, json);
  }
  return json;
}
