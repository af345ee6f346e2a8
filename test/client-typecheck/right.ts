// Compiles: a known type with its input; the output is typed.
import { createClient, TaskPlatformError } from "cloud-tasks-platform/client";

export async function run(url: string, apiKey: string, message: string): Promise<{ delivered: boolean; statusCode: number | undefined }> {
  const client = createClient({ url, apiKey });
  const { task_id } = await client.submit("notify.system", { notification_type: "info", title: "Hello", message });
  const output = await client.wait(task_id, { timeoutMs: 30_000 });
  // notify.system's output: delivered is a boolean, status_code a number.
  const delivered: boolean = output.delivered;
  try {
    await client.status("no-such-task");
  } catch (error) {
    if (!(error instanceof TaskPlatformError) || error.code !== "not_found") throw error;
  }
  return { delivered, statusCode: output.status_code };
}
