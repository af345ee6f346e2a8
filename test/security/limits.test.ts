// Limits before work: size, depth, media type, charset and coding of bodies,
// and odd ids in paths. Nothing a caller sends gets a 5xx; every 4xx names the problem.
import { request } from "node:http";
import { describe, expect, inject, it } from "vitest";
import { KEYS } from "./global-setup.ts";

const { apiUrl, workerUrl, adminKey } = inject("security");
const key = KEYS.aliceSubmit;

interface Answer { status: number; body: { error?: { code: string; message: string } } & Record<string, unknown> }

async function send(method: string, path: string, body: string | Buffer | undefined, headers: Record<string, string>, base = apiUrl): Promise<Answer> {
  const response = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: typeof body === "string" ? body : new Uint8Array(body) } : {}) });
  const text = await response.text();
  let parsed: Answer["body"];
  try {
    parsed = text ? (JSON.parse(text) as Answer["body"]) : {};
  } catch {
    throw new Error(`${method} ${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, body: parsed };
}

/** No 5xx, and a 4xx carries a code and a message that says something. */
function expectNamedRefusal(answer: Answer, what: string): void {
  expect(answer.status, `${what}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(answer.body.error?.code, what).toMatch(/^[a-z_]+$/);
    expect(answer.body.error?.message.length, what).toBeGreaterThan(5);
  }
}

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

/**
 * Sends headers and only `sent` bytes of a body that claims (or streams toward) more, then waits
 * for the answer without ever finishing the body: an answer proves the server did not read it all.
 */
function answerBeforeBodyEnds(path: string, headers: Record<string, string>, chunks: Buffer[], base = apiUrl): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const req = request(url, { method: "POST", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    setTimeout(() => {
      req.destroy();
      reject(new Error("no answer before the body ended: the server waited for all of it"));
    }, 10_000).unref();
  });
}

describe("body limits", () => {
  const json = { "Content-Type": "application/json", "X-API-Key": key };

  it("refuses JSON nested past the documented depth with 400 json_too_deep, on every route that takes JSON", async () => {
    const routes = ["/v1/tasks", "/v1/schedules", "/v1/groups", "/v1/events/query.completed", "/v1/schedules/x/trigger", "/tts"];
    for (const path of routes) {
      for (const body of [nested(10_000), nestedObject(10_000), `{"type":"testing.noop","payload":${nested(65)}}`]) {
        const answer = await send("POST", path, body, json);
        expectNamedRefusal(answer, `${path} depth`);
        expect(answer.status, path).toBe(400);
        expect(answer.body.error?.code).toBe("json_too_deep");
      }
    }
  });

  it("takes JSON at the documented depth", async () => {
    const answer = await send("POST", "/v1/tasks", `{"type":"testing.noop","payload":{"deep":${nested(62)}}}`, json);
    expectNamedRefusal(answer, "depth 64");
    expect(answer.body.error?.code).not.toBe("json_too_deep");
  });

  it("refuses a body declared larger than the limit before reading it, with or without a key", async () => {
    for (const headers of [{ "Content-Type": "application/json" }, json]) {
      const answer = await answerBeforeBodyEnds("/v1/tasks", { ...headers, "Content-Length": String(40 * 1024 * 1024) }, [Buffer.from('{"type":"')]);
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error.code).toBe("payload_too_large");
    }
  });

  it("refuses a chunked body once it passes the limit, before it ends", async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const answer = await answerBeforeBodyEnds("/v1/tasks", { "Content-Type": "application/json", "Transfer-Encoding": "chunked" }, [Buffer.from("["), ...Array(12).fill(chunk)]);
    expect(answer.status).toBe(413);
  });

  it("refuses a 20 MB body without a key with 413, not 401", async () => {
    const answer = await send("POST", "/v1/tasks", `{"type":"testing.noop","payload":{"x":"${"a".repeat(20 * 1024 * 1024)}"}}`, { "Content-Type": "application/json" });
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe("payload_too_large");
  });

  it("refuses content types other than JSON with 415, and takes an empty body where none is needed", async () => {
    const body = '{"type":"testing.noop","payload":{}}';
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "image/png", ""]) {
      const headers: Record<string, string> = { "X-API-Key": key, ...(type ? { "Content-Type": type } : {}) };
      const answer = await send("POST", "/v1/tasks", type === "" ? Buffer.from(body) : body, headers);
      expectNamedRefusal(answer, `content type ${type || "none"}`);
      expect(answer.status, type).toBe(415);
      expect(answer.body.error?.code).toBe("unsupported_media_type");
    }
    const created = await send("POST", "/v1/tasks", '{"type":"testing.noop","payload":{},"countdown":600}', { ...json, "Content-Type": "application/json; charset=utf-8" });
    expect(created.status).toBe(202);
    const cancel = await send("POST", `/v1/tasks/${String(created.body.task_id)}/cancel`, undefined, { "X-API-Key": key });
    expectNamedRefusal(cancel, "empty cancel");
    expect(cancel.status).toBeLessThan(300);
  });

  it("keeps the uploads route taking image bytes, and refuses other media types there with 415", async () => {
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
    const stored = await send("POST", "/v1/uploads", png, { "X-API-Key": key, "Content-Type": "image/png" });
    expect(stored.status).toBe(201);
    const gif = await send("POST", "/v1/uploads", png, { "X-API-Key": key, "Content-Type": "image/gif" });
    expect(gif.status).toBe(415);
    expect(gif.body.error?.code).toBe("unsupported_media_type");
  });

  it("refuses other charsets and content codings with 415, and answers odd bytes without a 5xx", async () => {
    const body = '{"type":"testing.noop","payload":{}}';
    for (const headers of [
      { "Content-Type": "application/json; charset=utf-16" },
      { "Content-Type": "application/json; charset=latin1" },
      { "Content-Type": "application/json", "Content-Encoding": "gzip" },
      { "Content-Type": "application/json", "Content-Encoding": "deflate, br" },
    ] as Record<string, string>[]) {
      const answer = await send("POST", "/v1/tasks", body, { "X-API-Key": key, ...headers });
      expectNamedRefusal(answer, JSON.stringify(headers));
      expect(answer.status, JSON.stringify(headers)).toBe(415);
    }
    const odd = [
      Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from(body)]), // a BOM
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), // invalid UTF-8 in a key
      Buffer.from('"just a string"'),
      Buffer.from("{\"type\":\"testing.noop\",\"payload\":{\"a\":\"\\ud800\"}}"),
      Buffer.from("null"),
      Buffer.from("[]"),
      Buffer.from("{".repeat(64)),
      Buffer.from('{"type":"testing.noop","payload":{"__proto__":{"x":1},"constructor":{"prototype":{}}}}'),
      Buffer.alloc(1000, 0),
    ];
    for (const bytes of odd) {
      for (const path of ["/v1/tasks", "/v1/groups", "/v1/schedules", "/v1/events/query.completed", "/v1/tasks/x/cancel"]) {
        expectNamedRefusal(await send("POST", path, bytes, json), `${path} ${bytes.toString("hex").slice(0, 40)}`);
      }
    }
  });

  it("answers odd but well-formed JSON on every route that takes JSON without a 5xx", async () => {
    const bodies: unknown[] = [
      [], {}, [1, 2], { type: 1 }, { type: "x".repeat(100_000) }, { type: "testing.noop", payload: [] }, { type: "testing.noop", payload: "s" },
      { type: "testing.noop", payload: {}, countdown: -1 }, { type: "testing.noop", payload: {}, countdown: 1e308 }, { type: "testing.noop", payload: {}, eta: "9999-12-31T23:59:59Z" },
      { type: "testing.noop", payload: {}, eta: "not a date" }, { type: "testing.noop", payload: {}, priority: { a: 1 } }, { type: "testing.noop", payload: {}, idempotency_key: "k".repeat(10_000) },
      { type: "testing.noop", payload: {}, callback_url: "javascript:alert(1)" }, { type: "testing.noop\u0000", payload: {} }, { type: "__proto__", payload: {} },
      { kind: "group", tasks: [] }, { kind: "chain", tasks: [{ kind: "group", tasks: [] }] }, { kind: "chord", tasks: [{ type: "testing.noop", payload: {} }] },
      { kind: "group", tasks: Array.from({ length: 5_000 }, () => ({ type: "nope", payload: {} })) },
      { name: "x", cron: "* * * * * * * *", task: "testing.noop" }, { name: "../../x", cron: "0 0 * * *", time_zone: "Mars/Olympus", task: "testing.noop" },
      { text: "", voice: "x".repeat(1000) }, { content_type: "image/png\r\nX-Injected: 1" }, { scheduled_time: "2026-13-45T99:99:99Z" },
    ];
    const routes: [string, string][] = [
      ["POST", "/v1/tasks"], ["POST", "/v1/groups"], ["POST", "/v1/schedules"], ["PATCH", "/v1/schedules/x"], ["POST", "/v1/schedules/usage_statistics/trigger"],
      ["POST", "/v1/events/query.completed"], ["POST", "/tts"], ["POST", "/v1/uploads"], ["POST", "/v1/sync/trigger-full-sync"], ["POST", "/v1/sync/documents/x"],
    ];
    for (const body of bodies) {
      for (const [method, path] of routes) {
        const answer = await send(method, path, JSON.stringify(body), { "Content-Type": "application/json", "X-API-Key": adminKey });
        expectNamedRefusal(answer, `${method} ${path} ${JSON.stringify(body).slice(0, 80)}`);
      }
    }
  });

  it("answers odd ids in paths with a 4xx, never a 5xx", async () => {
    const ids = ["%ZZ", "%00", "..%2F..%2Fetc", "x".repeat(10_000), "%F0%9F%92%A9", "' OR 1=1 --", "%E0%A4%A", "*", "__proto__", "constructor"];
    for (const id of ids) {
      for (const [method, path] of [
        ["GET", `/v1/tasks/${id}`], ["GET", `/v1/tasks/${id}/result`], ["POST", `/v1/tasks/${id}/cancel`], ["POST", `/v1/tasks/${id}/retry`],
        ["GET", `/v1/groups/${id}`], ["POST", `/v1/groups/${id}/cancel`], ["POST", `/v1/schedules/${id}/trigger`], ["PATCH", `/v1/schedules/${id}`],
        ["DELETE", `/v1/schedules/${id}`], ["POST", `/v1/queues/${id}/pause`], ["GET", `/tts/status/${id}`], ["POST", `/v1/events/${id}`],
      ] as const) {
        const answer = await send(method, path, method === "GET" || method === "DELETE" ? undefined : "{}", method === "GET" || method === "DELETE" ? { "X-API-Key": key } : json);
        expectNamedRefusal(answer, `${method} ${path.slice(0, 80)}`);
        expect(answer.status, `${method} ${path.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
      }
    }
  });

  it("limits the worker's deliveries too, before its token is checked", async () => {
    const big = await answerBeforeBodyEnds("/", { "Content-Type": "application/json", "Content-Length": String(8 * 1024 * 1024) }, [Buffer.from("{")], workerUrl);
    expect(big.status).toBe(413);
    const deep = await send("POST", "/", nested(10_000), { "Content-Type": "application/json" }, workerUrl);
    expect(deep.status).toBe(400);
    expect(deep.body.error?.code).toBe("json_too_deep");
    const text = await send("POST", "/", "hello", { "Content-Type": "text/plain" }, workerUrl);
    expect(text.status).toBe(415);
  });
});

describe("schedule triggers", () => {
  it("refuse a future slot, named in the body or in Cloud Scheduler's header, so the real run at that time is not skipped", async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const headers = { "Content-Type": "application/json", "X-API-Key": adminKey };
    const named = await send("POST", "/v1/schedules/usage_statistics/trigger", JSON.stringify({ scheduled_time: future }), headers);
    expect(named.status).toBe(400);
    expect(named.body.error?.message).toContain("scheduled_time");
    const header = await send("POST", "/v1/schedules/usage_statistics/trigger", "{}", { ...headers, "X-CloudScheduler-ScheduleTime": future });
    expect(header.status).toBe(400);
    expect(header.body.error?.message).toContain("X-CloudScheduler-ScheduleTime");
    const due = await send("POST", "/v1/schedules/usage_statistics/trigger", JSON.stringify({ scheduled_time: new Date(Date.now() - 60_000).toISOString() }), headers);
    expect(due.status).toBe(202);
  });
});
