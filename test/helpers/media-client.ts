// What the media integration tests do as a client would: upload an image, watch
// a task's progress to the end, and download and read the image it made.
import sharp from "sharp";
import { eventually } from "./eventually.ts";
import type { apiClient } from "./api-client.ts";

type Api = ReturnType<typeof apiClient>;

/** A test picture: a light background with a red disc and a blue square. */
export function testPicture(width = 160, height = 120): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#f4f4f0"/>`
    + `<circle cx="${width * 0.35}" cy="${height / 2}" r="${height / 4}" fill="#c03020"/>`
    + `<rect x="${width * 0.62}" y="${height * 0.35}" width="${width / 5}" height="${height / 3}" fill="#2040c0"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export async function uploadImage(baseUrl: string, apiKey: string, data: Buffer, contentType = "image/png"): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/v1/uploads`, { method: "POST", headers: { "X-API-Key": apiKey, "Content-Type": contentType }, body: new Uint8Array(data) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function uploadedUri(baseUrl: string, apiKey: string, data: Buffer, contentType = "image/png"): Promise<string> {
  const answer = await uploadImage(baseUrl, apiKey, data, contentType);
  if (answer.status !== 201) throw new Error(`upload answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return String(answer.body.gs_uri);
}

export interface FinalTask {
  status: string;
  attempts: number;
  progress: number;
  error: { type: string; message: string } | null;
  /** Every progress value seen while polling, in order. */
  progressSeen: number[];
}

/** Polls until the task ends, recording the progress it showed on the way. */
export async function waitForEnd(api: Api, id: string, timeoutMs = 30_000): Promise<FinalTask> {
  const progressSeen: number[] = [];
  const final = await eventually(async () => {
    const { body } = await api.call<{ status: string; attempts: number; progress: number; error: FinalTask["error"] }>("GET", `/v1/tasks/${id}`);
    if (progressSeen.at(-1) !== body.progress) progressSeen.push(body.progress);
    if (!["SUCCESS", "FAILURE", "REVOKED"].includes(body.status)) throw new Error(`task ${id} is ${body.status}`);
    return body;
  }, { timeoutMs, intervalMs: 20 });
  return { ...final, progressSeen };
}

export interface MediaResult {
  url: string;
  gcs_uri: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
  provider: string;
  metadata: Record<string, unknown>;
}

export async function mediaResult(api: Api, id: string): Promise<MediaResult> {
  const answer = await api.call<{ result: MediaResult }>("GET", `/v1/tasks/${id}/result`);
  if (answer.status !== 200) throw new Error(`result answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.result;
}

/** Downloads the output through its signed URL and reads it: what the image really is. */
export async function downloadOutput(result: MediaResult): Promise<{ bytes: number; format: string; width: number; height: number; hasAlpha: boolean; contentType: string }> {
  const response = await fetch(result.url);
  if (response.status !== 200) throw new Error(`GET ${result.url} answered ${response.status}`);
  const data = Buffer.from(await response.arrayBuffer());
  const metadata = await sharp(data).metadata();
  return {
    bytes: data.length,
    format: String(metadata.format),
    width: metadata.width,
    height: metadata.height,
    hasAlpha: metadata.hasAlpha,
    contentType: response.headers.get("content-type") ?? "",
  };
}
