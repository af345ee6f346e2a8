// RESP2 replies (redis-link.ts) as Upstash REST JSON. With `Upstash-Encoding: base64` every
// string is base64 of its bytes (so binary and any Unicode survive JSON), except
// the status reply "OK", which Upstash leaves bare and the client special-cases;
// integers stay numbers, nil stays null, arrays keep RESP2's flat shape.
import { ErrorReply, type RespValue } from "./redis-link.ts";

export type JsonReply = string | number | null | JsonReply[];

export function replyToJson(value: RespValue, base64: boolean): JsonReply {
  if (value === null || typeof value === "number") return value;
  if (Buffer.isBuffer(value)) return base64 ? value.toString("base64") : value.toString("utf8");
  if (Array.isArray(value)) return value.map((item) => replyToJson(item, base64));
  // A status reply, or an error nested in an array (a Lua table can hold one).
  const text = value instanceof ErrorReply ? value.message : value;
  return base64 && text !== "OK" ? Buffer.from(text).toString("base64") : text;
}

/** One entry of a /pipeline or /multi-exec answer. */
export function replyToItem(value: RespValue, base64: boolean): { result: JsonReply } | { error: string } {
  return value instanceof ErrorReply ? { error: value.message } : { result: replyToJson(value, base64) };
}
