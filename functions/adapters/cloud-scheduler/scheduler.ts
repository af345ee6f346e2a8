// Scheduler on Cloud Scheduler (@google-cloud/scheduler, imported on first use).
// A job targets the api's trigger endpoint with an OIDC token and carries the
// schedule in its body; its id is "<prefix><name>", so the platform never sees
// or touches anyone else's jobs. Cloud Scheduler is the source of truth.
import type { CloudSchedulerClient } from "@google-cloud/scheduler";
import { DependencyError, ScheduleConflict } from "../../core/errors.ts";
import type { ScheduledJob, ScheduledJobSpec, Scheduler } from "../../core/ports.ts";

export interface CloudSchedulerOptions {
  project: string;
  location: string;
  /** host:port of the emulator; unset for the real service. */
  emulatorHost?: string;
  /** Job id prefix that marks the platform's jobs. Default "tq-". */
  prefix: string;
  /** The api's base URL: jobs POST to <url>/v1/schedules/<name>/trigger. */
  targetUrl: string;
  /** Service account whose OIDC token the job sends; audience below (default the target URL). */
  serviceAccountEmail?: string;
  audience?: string;
  /** Retry config for a failed attempt, as Cloud Scheduler takes it. */
  retry: { retryCount: number; minBackoffSeconds: number; maxBackoffSeconds: number; maxDoublings: number; attemptDeadlineSeconds: number };
  /** Deadline of one call to Cloud Scheduler, ms (gax's timeout: it bounds its retries too). Default 2,500. */
  timeoutMs?: number;
}

/** What a job's body carries (the trigger endpoint reads it). */
export interface JobBody {
  schedule: string;
  origin: "code" | "api";
  task: string;
  payload: Record<string, unknown>;
}

const ALREADY_EXISTS = 6;
const NOT_FOUND = 5;
const code = (error: unknown) => (error && typeof error === "object" && "code" in error ? Number(error.code) : undefined);

export class CloudSchedulerAdapter implements Scheduler {
  readonly #options: CloudSchedulerOptions;
  #client: Promise<CloudSchedulerClient> | null = null;

  get #callOptions() {
    return { timeout: this.#options.timeoutMs ?? 2_500 };
  }

  constructor(options: CloudSchedulerOptions) {
    this.#options = options;
  }

  get #parent() {
    return `projects/${this.#options.project}/locations/${this.#options.location}`;
  }

  #jobName(name: string) {
    return `${this.#parent}/jobs/${this.#options.prefix}${name}`;
  }

  async list(): Promise<ScheduledJob[]> {
    const client = await this.#open();
    const jobs = await this.#call(() => client.listJobs({ parent: this.#parent }, this.#callOptions));
    return jobs[0].map((job) => this.#fromJob(job)).filter((job): job is ScheduledJob => job !== null);
  }

  async get(name: string): Promise<ScheduledJob | null> {
    const client = await this.#open();
    try {
      const [job] = await client.getJob({ name: this.#jobName(name) }, this.#callOptions);
      return this.#fromJob(job);
    } catch (error) {
      if (code(error) === NOT_FOUND) return null;
      throw new DependencyError("cloud-scheduler", (error as Error).message, { cause: error });
    }
  }

  async create(spec: ScheduledJobSpec): Promise<ScheduledJob> {
    const client = await this.#open();
    try {
      const [job] = await client.createJob({ parent: this.#parent, job: this.#toJob(spec) }, this.#callOptions);
      return this.#fromJob(job)!;
    } catch (error) {
      if (code(error) === ALREADY_EXISTS) throw new ScheduleConflict(`schedule "${spec.name}" exists already`);
      throw new DependencyError("cloud-scheduler", (error as Error).message, { cause: error });
    }
  }

  async update(spec: ScheduledJobSpec): Promise<ScheduledJob> {
    const client = await this.#open();
    const [job] = await this.#call(() =>
      client.updateJob({ job: this.#toJob(spec), updateMask: { paths: ["schedule", "time_zone", "description", "http_target", "retry_config", "attempt_deadline"] } }, this.#callOptions),
    );
    return this.#fromJob(job)!;
  }

  async delete(name: string): Promise<boolean> {
    const client = await this.#open();
    try {
      await client.deleteJob({ name: this.#jobName(name) }, this.#callOptions);
      return true;
    } catch (error) {
      if (code(error) === NOT_FOUND) return false;
      throw new DependencyError("cloud-scheduler", (error as Error).message, { cause: error });
    }
  }

  async pause(name: string): Promise<ScheduledJob> {
    return this.#stateChange(name, "pause");
  }

  async resume(name: string): Promise<ScheduledJob> {
    return this.#stateChange(name, "resume");
  }

  async run(name: string): Promise<void> {
    const client = await this.#open();
    await this.#call(() => client.runJob({ name: this.#jobName(name) }, this.#callOptions));
  }

  async #stateChange(name: string, action: "pause" | "resume"): Promise<ScheduledJob> {
    const client = await this.#open();
    try {
      const [job] = action === "pause" ? await client.pauseJob({ name: this.#jobName(name) }, this.#callOptions) : await client.resumeJob({ name: this.#jobName(name) }, this.#callOptions);
      return this.#fromJob(job)!;
    } catch (error) {
      // Pausing a paused job is FAILED_PRECONDITION: the state is already what was asked.
      if (code(error) === 9) return (await this.get(name))!;
      throw new DependencyError("cloud-scheduler", (error as Error).message, { cause: error });
    }
  }

  #toJob(spec: ScheduledJobSpec) {
    const o = this.#options;
    const uri = `${o.targetUrl.replace(/\/$/, "")}/v1/schedules/${encodeURIComponent(spec.name)}/trigger`;
    const body: JobBody = { schedule: spec.name, origin: spec.origin, task: spec.task, payload: spec.payload };
    return {
      name: this.#jobName(spec.name),
      description: spec.description,
      schedule: spec.cron,
      timeZone: spec.timeZone,
      httpTarget: {
        uri,
        httpMethod: "POST" as const,
        headers: { "Content-Type": "application/json" },
        body: Buffer.from(JSON.stringify(body)),
        ...(o.serviceAccountEmail ? { oidcToken: { serviceAccountEmail: o.serviceAccountEmail, audience: o.audience ?? o.targetUrl } } : {}),
      },
      retryConfig: {
        retryCount: o.retry.retryCount,
        minBackoffDuration: { seconds: o.retry.minBackoffSeconds },
        maxBackoffDuration: { seconds: o.retry.maxBackoffSeconds },
        maxDoublings: o.retry.maxDoublings,
      },
      attemptDeadline: { seconds: o.retry.attemptDeadlineSeconds },
    };
  }

  #fromJob(job: { name?: string | null; description?: string | null; schedule?: string | null; timeZone?: string | null; state?: unknown; httpTarget?: { body?: Uint8Array | string | null } | null; lastAttemptTime?: { seconds?: unknown } | null; status?: { code?: number | null; message?: string | null } | null }): ScheduledJob | null {
    const id = job.name?.split("/jobs/")[1] ?? "";
    if (!id.startsWith(this.#options.prefix)) return null;
    let body: Partial<JobBody> = {};
    try {
      const raw = job.httpTarget?.body;
      body = raw ? (JSON.parse(Buffer.from(raw as Uint8Array).toString("utf8")) as JobBody) : {};
    } catch {
      body = {};
    }
    const seconds = Number(job.lastAttemptTime?.seconds ?? 0);
    const state = String(job.state ?? "");
    return {
      name: id.slice(this.#options.prefix.length),
      origin: body.origin === "code" ? "code" : "api",
      cron: job.schedule ?? "",
      timeZone: job.timeZone || "UTC",
      task: body.task ?? "",
      payload: body.payload ?? {},
      description: job.description ?? "",
      state: state === "ENABLED" || state === "PAUSED" ? state : "UNKNOWN",
      lastAttemptTime: seconds > 0 ? new Date(seconds * 1000) : null,
      lastStatus: seconds > 0 ? { code: job.status?.code ?? 0, message: job.status?.message ?? "" } : null,
    };
  }

  #open(): Promise<CloudSchedulerClient> {
    this.#client ??= (async () => {
      const { CloudSchedulerClient } = await import("@google-cloud/scheduler");
      if (!this.#options.emulatorHost) return new CloudSchedulerClient();
      const grpc = await import("@grpc/grpc-js");
      const [host, port] = this.#options.emulatorHost.split(":");
      return new CloudSchedulerClient({ apiEndpoint: host, port: Number(port), sslCreds: grpc.credentials.createInsecure(), universeDomain: "googleapis.com", projectId: this.#options.project });
    })();
    return this.#client;
  }

  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new DependencyError("cloud-scheduler", (error as Error).message, { cause: error });
    }
  }
}
