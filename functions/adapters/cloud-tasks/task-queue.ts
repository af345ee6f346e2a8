// TaskQueue on Cloud Tasks: one HTTP task per attempt, named so that Cloud Tasks
// de-duplicates it, with an OIDC token the worker verifies.
import { DependencyError } from "../../core/errors.ts";
import type { EnqueueRequest, TaskQueue } from "../../core/ports.ts";
import { cloudTasksClient, queuePath, type CloudTasksConnection } from "./client.ts";

export interface CloudTasksQueueOptions extends CloudTasksConnection {
  /** URL of each worker function, by the name queues give (`worker`, `worker-gpu`, …). */
  workerUrls: Record<string, string>;
  /** Service account whose OIDC token Cloud Tasks sends; unset sends none. */
  serviceAccountEmail?: string;
  /** Audience of that token. Default: the worker URL. */
  audience?: string;
  /** Deadline of one call to Cloud Tasks, ms (gax's timeout: it bounds its retries too). Default 2,000. */
  timeoutMs?: number;
}

const GRPC_ALREADY_EXISTS = 6;
const GRPC_NOT_FOUND = 5;

const grpcCode = (error: unknown) => (error && typeof error === "object" && "code" in error ? Number(error.code) : undefined);

export class CloudTasksQueue implements TaskQueue {
  readonly #options: CloudTasksQueueOptions;

  constructor(options: CloudTasksQueueOptions) {
    this.#options = options;
  }

  get #callOptions() {
    return { timeout: this.#options.timeoutMs ?? 2_000 };
  }

  /** Starts loading the client library without waiting for it. */
  warm(): void {
    void cloudTasksClient(this.#options).catch(() => undefined);
  }

  async enqueue(request: EnqueueRequest): Promise<void> {
    const url = this.#options.workerUrls[request.worker];
    if (!url) throw new DependencyError("cloud-tasks", `no URL is configured for worker "${request.worker}"`);
    const client = await cloudTasksClient(this.#options);
    const parent = queuePath(this.#options, request.queue);
    try {
      await client.createTask({
        parent,
        task: {
          name: `${parent}/tasks/${request.name}`,
          httpRequest: {
            url,
            httpMethod: "POST",
            headers: { ...request.headers, "Content-Type": "application/json" },
            body: Buffer.from(request.body),
            ...(this.#options.serviceAccountEmail
              ? { oidcToken: { serviceAccountEmail: this.#options.serviceAccountEmail, audience: this.#options.audience ?? url } }
              : {}),
          },
          ...(request.scheduleTime ? { scheduleTime: toTimestamp(request.scheduleTime) } : {}),
          dispatchDeadline: { seconds: request.dispatchDeadlineSeconds },
        },
      }, this.#callOptions);
    } catch (error) {
      if (grpcCode(error) === GRPC_ALREADY_EXISTS) return;
      if (grpcCode(error) === GRPC_NOT_FOUND) {
        throw new DependencyError("cloud-tasks", `queue ${parent} does not exist (terraform apply, or npm run dev, creates it)`, { cause: error });
      }
      throw new DependencyError("cloud-tasks", describe(error), { cause: error });
    }
  }

  async delete(queue: string, name: string): Promise<boolean> {
    const client = await cloudTasksClient(this.#options);
    try {
      await client.deleteTask({ name: `${queuePath(this.#options, queue)}/tasks/${name}` }, this.#callOptions);
      return true;
    } catch (error) {
      if (grpcCode(error) === GRPC_NOT_FOUND) return false;
      throw new DependencyError("cloud-tasks", describe(error), { cause: error });
    }
  }

  async pause(queue: string): Promise<void> {
    await this.#queueCall((client, name) => client.pauseQueue({ name }, this.#callOptions), queue);
  }

  async resume(queue: string): Promise<void> {
    await this.#queueCall((client, name) => client.resumeQueue({ name }, this.#callOptions), queue);
  }

  async state(queue: string): Promise<"RUNNING" | "PAUSED" | "DISABLED" | "UNKNOWN"> {
    const [found] = await this.#queueCall((client, name) => client.getQueue({ name }, this.#callOptions), queue);
    const state = String(found.state ?? "");
    return state === "RUNNING" || state === "PAUSED" || state === "DISABLED" ? state : "UNKNOWN";
  }

  async #queueCall<T>(call: (client: Awaited<ReturnType<typeof cloudTasksClient>>, name: string) => Promise<T>, queue: string): Promise<T> {
    const client = await cloudTasksClient(this.#options);
    try {
      return await call(client, queuePath(this.#options, queue));
    } catch (error) {
      throw new DependencyError("cloud-tasks", describe(error), { cause: error });
    }
  }
}

function toTimestamp(ms: number) {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 300) : String(error);
}
