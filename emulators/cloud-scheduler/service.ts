// The google.cloud.scheduler.v1.CloudScheduler RPCs over an in-memory job store, with the status
// codes the real API uses: INVALID_ARGUMENT for a bad request, ALREADY_EXISTS, NOT_FOUND,
// FAILED_PRECONDITION for pausing a job that is not enabled or resuming one that is not paused.
import { randomBytes } from "node:crypto";
import type { protos } from "@google-cloud/scheduler";
import { status } from "@grpc/grpc-js";
import { applyUpdateMask, invalidArgument, RpcError, type Handler } from "../google-common.ts";
import { OUTPUT_ONLY, PARENT_PATTERN, parseJobDefinition, parseJobName, SETTABLE, toWireJob, type DefinitionLimits, type JobRecord, type WireJob } from "./job.ts";
import type { JobRunner, JobStore } from "./runner.ts";

type ListJobsRequest = protos.google.cloud.scheduler.v1.IListJobsRequest;

const MAX_PAGE_SIZE = 500;

function checkParent(parent: string | null | undefined): string {
  if (!parent || !PARENT_PATTERN.test(parent)) throw invalidArgument(`parent "${parent ?? ""}" must be projects/PROJECT_ID/locations/LOCATION_ID`);
  return parent;
}

export function cloudSchedulerService(jobs: JobStore, runner: JobRunner, limits: DefinitionLimits): Record<string, Handler> {
  function existing(name: string | null | undefined): JobRecord {
    if (!parseJobName(name)) throw invalidArgument(`job name "${name ?? ""}" is malformed`);
    const job = jobs.get(name ?? "");
    if (!job) throw new RpcError(status.NOT_FOUND, `Job not found: ${name}`);
    return job;
  }

  function setState(name: string | null | undefined, from: JobRecord["state"], to: JobRecord["state"]): WireJob {
    const job = existing(name);
    if (job.state !== from) throw new RpcError(status.FAILED_PRECONDITION, `Job ${job.name} is ${job.state}; it must be ${from}`);
    job.state = to;
    job.userUpdateTime = new Date();
    runner.reschedule(job.name);
    return toWireJob(job);
  }

  const handlers = {
    CreateJob(request: { parent?: string | null; job?: WireJob | null }): WireJob {
      const parent = checkParent(request.parent);
      if (!request.job) throw invalidArgument("job is required");
      const name = request.job.name || `${parent}/jobs/${randomBytes(10).toString("hex")}`;
      if (parseJobName(name) && parseJobName(name)?.parent !== parent) throw invalidArgument(`job name "${name}" is not under ${parent}`);
      const definition = parseJobDefinition({ ...request.job, name }, limits);
      if (jobs.has(name)) throw new RpcError(status.ALREADY_EXISTS, `Job ${name} already exists`);
      const job: JobRecord = { ...definition, state: "ENABLED", status: null, scheduleTime: null, lastAttemptTime: null, userUpdateTime: new Date() };
      jobs.set(name, job);
      runner.reschedule(name);
      return toWireJob(job);
    },

    GetJob: (request: { name?: string | null }) => toWireJob(existing(request.name)),

    ListJobs(request: ListJobsRequest) {
      const prefix = `${checkParent(request.parent)}/jobs/`;
      const pageSize = request.pageSize ?? 0;
      if (pageSize < 0) throw invalidArgument("page_size must not be negative");
      const after = request.pageToken ? Buffer.from(request.pageToken, "base64url").toString() : "";
      if (after && !after.startsWith(prefix)) throw invalidArgument("page_token is not from this listing");
      const names = [...jobs.keys()].filter((name) => name.startsWith(prefix) && name > after).sort();
      const page = names.slice(0, Math.min(pageSize || MAX_PAGE_SIZE, MAX_PAGE_SIZE));
      return {
        jobs: page.map((name) => toWireJob(jobs.get(name)!)),
        nextPageToken: names.length > page.length ? Buffer.from(page.at(-1)!).toString("base64url") : "",
      };
    },

    /** Without a mask, every settable field the request sets is taken (AIP-134). */
    UpdateJob(request: { job?: WireJob | null; updateMask?: { paths?: string[] | null } | null }): WireJob {
      if (!request.job) throw invalidArgument("job is required");
      const current = existing(request.job.name);
      const paths = request.updateMask?.paths?.length ? request.updateMask.paths : Object.keys(request.job).filter((key) => key in SETTABLE);
      const merged = applyUpdateMask(toWireJob(current), request.job, paths, SETTABLE, OUTPUT_ONLY);
      // A paused job stays paused; output-only fields are the service's.
      const job: JobRecord = { ...current, ...parseJobDefinition({ ...merged, name: current.name }, limits), userUpdateTime: new Date() };
      jobs.set(job.name, job);
      runner.reschedule(job.name);
      return toWireJob(job);
    },

    DeleteJob(request: { name?: string | null }) {
      const job = existing(request.name);
      jobs.delete(job.name);
      runner.forget(job.name);
      return {};
    },

    PauseJob: (request: { name?: string | null }) => setState(request.name, "ENABLED", "PAUSED"),
    ResumeJob: (request: { name?: string | null }) => setState(request.name, "PAUSED", "ENABLED"),

    RunJob(request: { name?: string | null }): WireJob {
      const job = existing(request.name);
      runner.runNow(job.name);
      return toWireJob(job);
    },
  };
  return handlers as unknown as Record<string, Handler>;
}
