// The unit of work: one defineTask() value feeds submit-time validation,
// execution, the API's list of types, OpenAPI and the Terraform manifest.
import type { z } from "zod";
import { defaultRetryPolicy, type RetryPolicy } from "./backoff.ts";
import type { Logger } from "./ports.ts";
import { attachPorts, type NoPorts, type PortResolver, type PortUses, type UsedPorts } from "./port.ts";
import type { Priority } from "./queues.ts";
import type { GroupSpec } from "./group-spec.ts";

export interface TimeLimit {
  /** The handler's signal aborts at this point so it can wind down. Default 240. */
  softSeconds: number;
  /** The attempt fails at this point, whatever the handler does. Default 300. */
  hardSeconds: number;
}

export interface EnqueueOptions {
  countdownSeconds?: number;
  eta?: Date;
  priority?: Priority;
  idempotencyKey?: string;
}

/**
 * Who may submit a task type: "public" (any caller with the submit scope),
 * "internal" (only the platform itself, e.g. platform.callback), "testing"
 * (callers too, but only where TESTING_TASKS enables it: the local stack and
 * the tests, never the Terraform deployment).
 */
export const TaskVisibility = ["public", "internal", "testing"] as const;
export type TaskVisibility = (typeof TaskVisibility)[number];

/** What every handler's ctx has, whatever ports its task uses. `In` is the task's own input (for continueAsNew). */
export interface TaskRuntime<In = unknown> {
  taskId: string;
  /** The tenant the task belongs to (its submitter's, or "_system" for the platform's own). */
  tenant: string;
  /** 1 for the first attempt. */
  attempt: number;
  maxAttempts: number;
  /** Aborts on cancel (revoke with terminate) and at the soft time limit. */
  signal: AbortSignal;
  /** Records progress (0-100) and a message; cheap to call often, writes are coalesced. */
  progress(percent: number, message?: string): Promise<void>;
  log: Logger;
  /** Submits a child task through the same path as the API; its input is checked against the definition's schema. */
  enqueue<D extends AnyTaskDefinition>(task: D, input: z.input<D["input"]>, options?: EnqueueOptions): Promise<{ taskId: string }>;
  /**
   * Carries on in a new task of this same type with `input` (Temporal's continueAsNew): for work longer than
   * one attempt may run. The handler then returns; the new task's id goes in its output. Idempotent per task:
   * the default idempotency key is "continuation", so a retried attempt finds the continuation it made.
   */
  continueAsNew(input: In, options?: EnqueueOptions): Promise<{ taskId: string }>;
  /** Submits a group, chain or chord (see core/groups.ts); its progress is GET /v1/groups/{id}. */
  enqueueGroup(spec: GroupSpec, options?: { idempotencyKey?: string }): Promise<{ groupId: string; taskIds: string[] }>;
}

/** A handler's ctx: the runtime, and exactly the ports its task declared in `uses` (no other is there). */
export type TaskContext<U extends PortUses = NoPorts, In = unknown> = TaskRuntime<In> & UsedPorts<U>;

/**
 * What a task's submit-time `prepare` step may use: the ports its task declared
 * (built on first use), the id the task will get, a logger. Nothing is written yet.
 */
export type PrepareContext<U extends PortUses = NoPorts> = {
  taskId: string;
  /** The submitter's tenant: a task whose input names stored objects checks they are that tenant's. */
  tenant: string;
  log: Logger;
} & UsedPorts<U>;

/** Runs at submit, after validation, before the record is written; returns the payload to store. */
type PrepareStep<I extends z.ZodType, U extends PortUses = NoPorts> = (input: z.output<I>, ctx: PrepareContext<U>) => Promise<z.input<I>>;

/** Builds a handler's (or prepare step's) ctx: `own`, plus getters for the ports the task declared and none other. */
export function contextFor<T extends { uses: PortUses }, O extends object>(task: T, own: O, ports: PortResolver): O & UsedPorts<T["uses"]> {
  return attachPorts(own, task.uses, ports);
}

export interface TaskOptions<I extends z.ZodType, O extends z.ZodType, N extends string = string, V extends TaskVisibility = TaskVisibility, U extends PortUses = NoPorts> {
  /** Stable, dotted: domain.action. */
  name: N;
  /** Name of a declared queue. */
  queue: string;
  description?: string;
  /** Who may submit it. Default "public". */
  visibility?: V;
  /**
   * The ports the handler (and prepare) reach through ctx, e.g. `{ speech, blobs }` (the platform's from
   * core/ports.ts, the domain's from its ports.ts). Nothing else is on ctx. Default none.
   */
  uses?: U;
  input: I;
  output: O;
  /** Default {maxAttempts 3, minBackoffSeconds 1, maxBackoffSeconds 300}, capped by the queue's. */
  retry?: Partial<RetryPolicy>;
  /** Default {softSeconds 240, hardSeconds 300}. */
  timeLimit?: Partial<TimeLimit>;
  /** How long the record and result live after the task ends. Default 3600. */
  resultTtlSeconds?: number;
  /** Top-level input/output fields encrypted at rest in Redis (AES-256-GCM). */
  sensitive?: { input?: string[]; output?: string[] };
  /**
   * Optional submit-time step for inputs a schema alone cannot settle: move a
   * large inline value to storage, check a URL against outside systems. It runs
   * in the api (and for ctx.enqueue) before anything is written; what it returns
   * is stored and carried instead of the payload, and must pass `input` again.
   * Throw SubmissionError to refuse the submit with a 4xx naming the field.
   */
  prepare?: PrepareStep<I, U>;
  handler: (input: z.output<I>, ctx: TaskContext<U, z.input<I>>) => Promise<z.input<O>>;
}

/** N and V keep the literal name and visibility, so the typed client (client/) can key tasks by name. */
export interface TaskDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, N extends string = string, V extends TaskVisibility = TaskVisibility, U extends PortUses = NoPorts> {
  name: N;
  queue: string;
  description: string;
  visibility: V;
  input: I;
  output: O;
  retry: RetryPolicy;
  timeLimit: TimeLimit;
  resultTtlSeconds: number;
  sensitive: { input: string[]; output: string[] };
  uses: U;
  prepare?: PrepareStep<I, U>;
  handler: (input: z.output<I>, ctx: TaskContext<U, z.input<I>>) => Promise<z.input<O>>;
}

// Generic containers hold tasks of any schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTaskDefinition = TaskDefinition<any, any, string, TaskVisibility, any>;

const TASK_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export function defineTask<I extends z.ZodType, O extends z.ZodType, const N extends string, const V extends TaskVisibility = "public", U extends PortUses = NoPorts>(
  options: TaskOptions<I, O, N, V, U>,
): TaskDefinition<I, O, N, V, U> {
  if (!TASK_NAME.test(options.name)) {
    throw new Error(`task name "${options.name}" must be dotted lowercase, domain.action`);
  }
  const timeLimit = { softSeconds: 240, hardSeconds: 300, ...options.timeLimit };
  if (timeLimit.softSeconds > timeLimit.hardSeconds) {
    throw new Error(`task ${options.name}: soft time limit exceeds the hard one`);
  }
  return {
    name: options.name,
    queue: options.queue,
    description: options.description ?? "",
    visibility: options.visibility ?? ("public" as V),
    input: options.input,
    output: options.output,
    retry: { ...defaultRetryPolicy, ...options.retry },
    timeLimit,
    resultTtlSeconds: options.resultTtlSeconds ?? 3600,
    sensitive: { input: options.sensitive?.input ?? [], output: options.sensitive?.output ?? [] },
    uses: options.uses ?? ({} as U),
    ...(options.prepare ? { prepare: options.prepare } : {}),
    handler: options.handler,
  };
}
