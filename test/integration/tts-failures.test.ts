// Edge TTS misbehaving under tts.generate: refused, cut off mid-stream, silent.
// Each is retried with backoff and succeeds once the service recovers, or ends
// FAILURE after 4 attempts. Faults are set on the shared stack's stand-in through
// its control endpoint, and always cleared after each test.
import { afterEach, describe, expect, inject, it } from "vitest";
import { apiClient } from "../helpers/api-client.ts";
import { download, edgeControl, uniqueVietnamese, type TtsResult } from "../helpers/tts.ts";

const stack = inject("stack");
const api = apiClient(stack.apiUrl, stack.apiKey);
const edge = edgeControl(stack.edgeTtsUrl);

afterEach(async () => {
  await edge.setFault(null);
});

describe("tts.generate when Edge TTS fails", () => {
  it.each([
    ["refuse", /Edge TTS connection failed: .*403/],
    ["close-mid-stream", /closed the connection after \d+ bytes/],
    ["no-audio", /ended the turn without audio/],
  ] as const)("retries after %s and succeeds once Edge recovers", async (fault, message) => {
    await edge.setFault(fault);
    const { body } = await api.submit("tts.generate", { text: uniqueVietnamese() });
    const retrying = await api.waitFor(body.task_id, "RETRY");
    expect(retrying.error).toMatchObject({ type: "SpeechServiceError", message: expect.stringMatching(message) });
    await edge.setFault(null);

    const done = await api.waitFor(body.task_id, "SUCCESS", 30_000);
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    const { result } = (await api.call<{ result: TtsResult }>("GET", `/v1/tasks/${body.task_id}/result`)).body;
    const file = await download(result.url);
    expect(file.status).toBe(200);
    expect(Math.abs(file.seconds - result.duration_seconds)).toBeLessThan(0.05);
  }, 60_000);

  it("ends FAILURE after 4 attempts while Edge keeps answering without audio", async () => {
    await edge.setFault("no-audio");
    const before = await edge.syntheses();
    const { body } = await api.submit("tts.generate", { text: uniqueVietnamese() });
    const failed = await api.waitFor(body.task_id, "FAILURE", 60_000);
    expect(failed.seen).toContain("RETRY");
    expect(failed.attempts).toBe(4);
    expect(failed.error).toMatchObject({ type: "SpeechServiceError", message: expect.stringMatching(/without audio \(after 4 attempts\)/) });
    expect(await edge.syntheses()).toBe(before + 4);
  }, 90_000);
});
