// The last stage of every media task: check what the provider made, keep it in
// Cloud Storage under media/{task_id}/, and describe it with a signed URL.
import type { MediaContext } from "./ports.ts";
import type { ImagingResult } from "./imaging.ts";
import { NonRetryableError, isNonRetryable } from "../../core/task-kit.ts";
import { mediaPrefix } from "./image-ref.ts";
import type { MediaOutput } from "./output.ts";

async function storeOutput(ctx: MediaContext, result: ImagingResult): Promise<MediaOutput> {
  let info;
  try {
    info = await ctx.imaging.probe(result.data);
  } catch (error) {
    if (isNonRetryable(error)) throw new NonRetryableError(`the ${ctx.imaging.provider} provider's output: ${(error as Error).message}`, { cause: error });
    throw error;
  }
  ctx.signal.throwIfAborted();
  const path = `${mediaPrefix(ctx.tenant)}${ctx.taskId}/output.${info.format === "jpeg" ? "jpg" : info.format}`;
  const stored = await ctx.blobs.put(path, result.data, {
    contentType: `image/${info.format}`,
    metadata: { task_id: ctx.taskId, provider: ctx.imaging.provider },
    signal: ctx.signal,
  });
  return {
    url: await ctx.blobs.readUrl(path),
    gcs_uri: stored.uri,
    width: info.width,
    height: info.height,
    format: info.format,
    bytes: stored.bytes,
    provider: ctx.imaging.provider,
    metadata: result.metadata,
  };
}

/** Progress at each stage: inputs fetched, provider running, output stored. */
export async function runMediaJob<T>(ctx: MediaContext, load: () => Promise<T>, run: (inputs: T) => Promise<ImagingResult>): Promise<MediaOutput> {
  await ctx.progress(5, "fetching input");
  const inputs = await load();
  ctx.signal.throwIfAborted();
  await ctx.progress(30, `running the ${ctx.imaging.provider} provider`);
  const result = await run(inputs);
  ctx.signal.throwIfAborted();
  await ctx.progress(85, "storing output");
  const output = await storeOutput(ctx, result);
  await ctx.progress(100, "done");
  return output;
}
