// The google.cloud.scheduler.v1.CloudScheduler RPCs over an in-memory job store, with
// the status codes the real API uses: INVALID_ARGUMENT for a bad request,
// ALREADY_EXISTS, NOT_FOUND, FAILED_PRECONDITION for pausing a job that is not
// enabled or resuming one that is not paused.
import { randomBytes } from "node:crypto";
import { status, type UntypedServiceImplementation, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";
import { applyUpdateMask } from "./field-mask.ts";
import { PARENT_PATTERN, parseJobDefinition, parseJobName, type DefinitionLimits } from "./job-definition.ts";
import { toWireJob, type JobRecord } from "./job-record.ts";
import type { JobRunner, JobStore } from "./job-runner.ts";
import { RpcError, invalidArgument, notFound } from "./rpc-error.ts";
import type { WireJob } from "./wire.ts";

const MAX_PAGE_SIZE = 500;

function checkParent(parent: string | undefined): string {
  if (!parent || !PARENT_PATTERN.test(parent)) {
    throw invalidArgument(`parent "${parent ?? ""}" must be projects/PROJECT_ID/locations/LOCATION_ID`);
  }
  return parent;
}

/** Wraps a synchronous handler: its RpcError becomes the call's status. */
function unary<Req, Res>(handle: (request: Req) => Res) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    try {
      callback(null, handle(call.request));
    } catch (error) {
      if (error instanceof RpcError) callback(error);
      else callback({ code: status.INTERNAL, details: (error as Error).message, name: "Error", message: (error as Error).message });
    }
  };
}

export function cloudSchedulerService(
  jobs: JobStore,
  runner: JobRunner,
  limits: DefinitionLimits,
): UntypedServiceImplementation {
  function existing(name: string | undefined): JobRecord {
    if (!name || !parseJobName(name)) throw invalidArgument(`job name "${name ?? ""}" is malformed`);
    const job = jobs.get(name);
    if (!job) throw notFound(name);
    return job;
  }

  function setState(name: string | undefined, from: JobRecord["state"], to: JobRecord["state"]): WireJob {
    const job = existing(name);
    if (job.state !== from) {
      throw new RpcError(status.FAILED_PRECONDITION, `Job ${job.name} is ${job.state}; it must be ${from}`);
    }
    job.state = to;
    job.userUpdateTime = new Date();
    runner.reschedule(job.name);
    return toWireJob(job);
  }

  return {
    CreateJob: unary((request: { parent?: string; job?: WireJob }) => {
      const parent = checkParent(request.parent);
      if (!request.job) throw invalidArgument("job is required");
      const name = request.job.name || `${parent}/jobs/${randomBytes(10).toString("hex")}`;
      const parsed = parseJobName(name);
      if (parsed && parsed.parent !== parent) throw invalidArgument(`job name "${name}" is not under ${parent}`);
      const definition = parseJobDefinition({ ...request.job, name }, limits);
      if (jobs.has(name)) throw new RpcError(status.ALREADY_EXISTS, `Job ${name} already exists`);
      const job: JobRecord = {
        ...definition,
        state: "ENABLED",
        status: null,
        scheduleTime: null,
        lastAttemptTime: null,
        userUpdateTime: new Date(),
      };
      jobs.set(name, job);
      runner.reschedule(name);
      return toWireJob(job);
    }),

    GetJob: unary((request: { name?: string }) => toWireJob(existing(request.name))),

    ListJobs: unary((request: { parent?: string; pageSize?: number; pageToken?: string }) => {
      const prefix = `${checkParent(request.parent)}/jobs/`;
      const pageSize = request.pageSize ?? 0;
      if (pageSize < 0) throw invalidArgument("page_size must not be negative");
      let after = "";
      if (request.pageToken) {
        after = Buffer.from(request.pageToken, "base64url").toString();
        if (!after.startsWith(prefix)) throw invalidArgument("page_token is not from this listing");
      }
      const names = [...jobs.keys()].filter((name) => name.startsWith(prefix) && name > after).sort();
      const page = names.slice(0, Math.min(pageSize || MAX_PAGE_SIZE, MAX_PAGE_SIZE));
      const last = page.at(-1);
      return {
        jobs: page.map((name) => toWireJob(jobs.get(name)!)),
        nextPageToken: names.length > page.length && last ? Buffer.from(last).toString("base64url") : "",
      };
    }),

    UpdateJob: unary((request: { job?: WireJob; updateMask?: { paths?: string[] } }) => {
      if (!request.job) throw invalidArgument("job is required");
      const current = existing(request.job.name);
      const merged = applyUpdateMask(toWireJob(current), request.job, request.updateMask?.paths);
      const definition = parseJobDefinition({ ...merged, name: current.name }, limits);
      // A paused job stays paused; output-only fields are the service's.
      const job: JobRecord = { ...current, ...definition, userUpdateTime: new Date() };
      jobs.set(job.name, job);
      runner.reschedule(job.name);
      return toWireJob(job);
    }),

    DeleteJob: unary((request: { name?: string }) => {
      const job = existing(request.name);
      jobs.delete(job.name);
      runner.forget(job.name);
      return {};
    }),

    PauseJob: unary((request: { name?: string }) => setState(request.name, "ENABLED", "PAUSED")),

    ResumeJob: unary((request: { name?: string }) => setState(request.name, "PAUSED", "ENABLED")),

    RunJob: unary((request: { name?: string }) => {
      const job = existing(request.name);
      runner.runNow(job.name);
      return toWireJob(job);
    }),
  };
}
