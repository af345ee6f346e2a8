// Conformance of the Cloud Scheduler emulator: the real @google-cloud/scheduler client
// drives it, a local HTTP receiver plays the job target, and google-auth-library
// verifies the OIDC tokens it signs.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CloudSchedulerClient, type protos } from "@google-cloud/scheduler";
import { credentials, status } from "@grpc/grpc-js";
import { OAuth2Client } from "google-auth-library";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startCloudSchedulerEmulator, type CloudSchedulerEmulator } from "../../emulators/cloud-scheduler/index.ts";
import { formatScheduleTime, parseSchedule } from "../../emulators/cloud-scheduler/schedule.ts";
import { backoffMs } from "../../emulators/google-common.ts";
import { eventually } from "../helpers/eventually.ts";

// --- the pieces around the emulator -------------------------------------------------

/**
 * The real client, pointed at the emulator. `sslCreds` makes google-gax use that channel
 * as is (GrpcClient._getCredentials returns it before asking google-auth-library for
 * anything), and an explicit `universeDomain` stops GoogleAuth.getUniverseDomain(), which
 * createStub calls first, from looking for application default credentials (a key file,
 * then the GCE metadata server).
 */
function schedulerClient(emulator: CloudSchedulerEmulator): CloudSchedulerClient {
  return new CloudSchedulerClient({
    apiEndpoint: "127.0.0.1",
    port: emulator.port,
    sslCreds: credentials.createInsecure(),
    universeDomain: "googleapis.com",
  });
}

interface Received {
  path: string;
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** The job target: /fail… answers 500, /hang… never answers, anything else 200. */
async function startReceiver() {
  const requests: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      requests.push({ path, method: request.method ?? "", headers: request.headers, body: Buffer.concat(chunks).toString(), at: Date.now() });
      if (path.startsWith("/hang")) return;
      response.writeHead(path.startsWith("/fail") ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    to: (path: string) => requests.filter((request) => request.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Job = protos.google.cloud.scheduler.v1.IJob;
type ListRequest = protos.google.cloud.scheduler.v1.IListJobsRequest;

const PROJECT = "emu-test";
const SERVICE_ACCOUNT = "scheduler@emu-test.iam.gserviceaccount.com";
const FAR_SCHEDULE = "0 0 1 1 *"; // once a year: slots never get in the way of RunJob tests
const newLocation = () => `projects/${PROJECT}/locations/loc-${randomUUID().slice(0, 8)}`;
const ms = (millis: number) => ({ seconds: Math.floor(millis / 1000), nanos: (millis % 1000) * 1e6 });
const toMs = (timestamp: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  Number(timestamp?.seconds ?? 0) * 1000 + Math.floor((timestamp?.nanos ?? 0) / 1e6);

// --- next-run computation (pure) --------------------------------------------------

describe("next run times", () => {
  const runs = (schedule: string, timeZone: string, fromIso: string, count: number) => {
    const cron = parseSchedule(schedule, timeZone);
    const out: string[] = [];
    let at = new Date(fromIso);
    for (let i = 0; i < count; i++) {
      const next = cron.next(at);
      if (!next) break;
      out.push(next.toISOString());
      at = next;
    }
    return out;
  };

  it("America/New_York, spring forward on 2026-03-08: a fixed time in the gap runs at 03:00 EDT, an interval skips it", () => {
    // 00:00 EST on the day; 02:00 EST jumps to 03:00 EDT.
    expect(runs("30 2 * * *", "America/New_York", "2026-03-08T05:00:00Z", 2)).toEqual([
      "2026-03-08T07:00:00.000Z", // 03:00 EDT, the first instant after the gap
      "2026-03-09T06:30:00.000Z", // 02:30 EDT the day after
    ]);
    expect(runs("*/30 2 * * *", "America/New_York", "2026-03-08T05:00:00Z", 1)).toEqual(["2026-03-09T06:00:00.000Z"]);
  });

  it("America/New_York, fall back on 2026-11-01: a fixed time in the repeated hour runs once, an interval twice", () => {
    // 00:00 EDT on the day; 02:00 EDT falls back to 01:00 EST.
    expect(runs("30 1 * * *", "America/New_York", "2026-11-01T04:00:00Z", 2)).toEqual([
      "2026-11-01T05:30:00.000Z", // 01:30 EDT only, not 01:30 EST (06:30Z)
      "2026-11-02T06:30:00.000Z",
    ]);
    expect(runs("*/30 1 * * *", "America/New_York", "2026-11-01T04:00:00Z", 5)).toEqual([
      "2026-11-01T05:00:00.000Z",
      "2026-11-01T05:30:00.000Z",
      "2026-11-01T06:00:00.000Z",
      "2026-11-01T06:30:00.000Z",
      "2026-11-02T06:00:00.000Z",
    ]);
  });

  it("Asia/Ho_Chi_Minh has no DST: the same schedules are UTC+7 every day, on both transition days", () => {
    expect(runs("30 2 * * *", "Asia/Ho_Chi_Minh", "2026-03-07T12:00:00Z", 2)).toEqual([
      "2026-03-07T19:30:00.000Z", // 02:30 on March 8 in Saigon
      "2026-03-08T19:30:00.000Z",
    ]);
    expect(runs("30 1 * * *", "Asia/Ho_Chi_Minh", "2026-10-31T12:00:00Z", 2)).toEqual([
      "2026-10-31T18:30:00.000Z", // 01:30 on November 1
      "2026-11-01T18:30:00.000Z",
    ]);
  });

  it("accepts unix-cron only, and seconds only when allowed", () => {
    expect(() => parseSchedule("0 9 * JAN-MAR MON-FRI", "UTC")).not.toThrow();
    expect(() => parseSchedule("*/15 0-6/2 1,15 * 0", "utc")).not.toThrow();
    for (const bad of ["0 0 L * *", "0 0 * * 5#2", "@daily", "61 * * * *", "* * * * * *"]) {
      expect(() => parseSchedule(bad, "UTC"), bad).toThrow();
    }
    expect(parseSchedule("*/5 * * * * *", "UTC", { allowSeconds: true }).next(new Date("2026-01-01T00:00:01Z"))?.toISOString())
      .toBe("2026-01-01T00:00:05.000Z");
    for (const zone of ["Mars/Olympus", "+07:00", ""]) expect(() => parseSchedule("0 0 * * *", zone), zone).toThrow();
  });

  it("takes English-like schedules (App Engine cron syntax) as Cloud Scheduler does", () => {
    // Start-time intervals: from..to each day in the job's zone, or synchronized from midnight.
    expect(runs("every 20 minutes from 10:00 to 10:50", "Asia/Ho_Chi_Minh", "2026-03-08T03:10:00Z", 4)).toEqual([
      "2026-03-08T03:20:00.000Z", "2026-03-08T03:40:00.000Z", "2026-03-09T03:00:00.000Z", "2026-03-09T03:20:00.000Z",
    ]);
    expect(runs("every 5 hours synchronized", "UTC", "2026-03-08T16:00:00Z", 3)).toEqual([
      "2026-03-08T20:00:00.000Z", "2026-03-09T00:00:00.000Z", "2026-03-09T05:00:00.000Z",
    ]);
    // Custom intervals: weekdays, ordinals, months.
    expect(runs("every monday 09:00", "UTC", "2026-03-08T00:00:00Z", 1)).toEqual(["2026-03-09T09:00:00.000Z"]);
    expect(runs("every day 00:00", "America/New_York", "2026-03-08T06:00:00Z", 1)).toEqual(["2026-03-09T04:00:00.000Z"]);
    expect(runs("2nd,third mon,wed of march 17:00", "UTC", "2026-01-01T00:00:00Z", 4)).toEqual([
      "2026-03-09T17:00:00.000Z", "2026-03-11T17:00:00.000Z", "2026-03-16T17:00:00.000Z", "2026-03-18T17:00:00.000Z",
    ]);
    expect(runs("1st monday of sep,oct,nov 17:00", "UTC", "2026-01-01T00:00:00Z", 1)).toEqual(["2026-09-07T17:00:00.000Z"]);
    // End-time intervals count from the end of the previous run.
    const interval = parseSchedule("every 5 minutes", "UTC");
    expect(interval.afterEndMs).toBe(300_000);
    expect(interval.next(new Date("2026-03-08T10:02:30Z"))?.toISOString()).toBe("2026-03-08T10:07:30.000Z");
    for (const bad of ["every 0 minutes", "every 5 seconds", "every fortnight 09:00", "sixth monday of month 09:00", "every monday 25:00", "first day of month 09:00"]) {
      expect(() => parseSchedule(bad, "UTC"), bad).toThrow();
    }
  });

  it("writes ScheduleTime with the job's UTC offset, Z for UTC", () => {
    expect(formatScheduleTime(new Date("2026-03-08T07:00:00Z"), "America/New_York")).toBe("2026-03-08T03:00:00-04:00");
    expect(formatScheduleTime(new Date("2026-11-01T05:30:00Z"), "America/New_York")).toBe("2026-11-01T01:30:00-04:00");
    expect(formatScheduleTime(new Date("2026-11-01T06:30:00Z"), "America/New_York")).toBe("2026-11-01T01:30:00-05:00");
    expect(formatScheduleTime(new Date("2026-03-07T19:30:00Z"), "Asia/Ho_Chi_Minh")).toBe("2026-03-08T02:30:00+07:00");
    expect(formatScheduleTime(new Date("2026-03-07T19:30:00.250Z"), "Etc/UTC")).toBe("2026-03-07T19:30:00.250Z");
  });

  it("backs off as RetryConfig documents: doubling, then linear, then capped", () => {
    const policy = { minBackoffMs: 10_000, maxBackoffMs: 300_000, maxDoublings: 3 };
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => backoffMs(i, policy) / 1000)).toEqual([10, 20, 40, 80, 160, 240, 300, 300]);
  });
});

// --- the emulator through the real client -----------------------------------------

describe("cloud scheduler emulator", () => {
  let emulator: CloudSchedulerEmulator;
  let strict: CloudSchedulerEmulator;
  let client: CloudSchedulerClient;
  let strictClient: CloudSchedulerClient;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let credentialLookup: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    [emulator, strict, receiver] = await Promise.all([
      startCloudSchedulerEmulator({ allowSecondsCron: true, allowShortAttemptDeadline: true }),
      startCloudSchedulerEmulator(),
      startReceiver(),
    ]);
    client = schedulerClient(emulator);
    strictClient = schedulerClient(strict);
    credentialLookup = vi.spyOn(client.auth, "getClient");
  });

  afterAll(async () => {
    await Promise.all([client?.close(), strictClient?.close()]);
    await Promise.all([emulator?.close(), strict?.close(), receiver?.close()]);
  });

  const httpJob = (parent: string, id: string, extra: Record<string, unknown> = {}) => ({
    name: `${parent}/jobs/${id}`,
    schedule: FAR_SCHEDULE,
    httpTarget: { uri: `${receiver.url}/ok-${id}`, httpMethod: "POST" as const },
    ...extra,
  });

  it("creates, gets, lists in pages, updates by field mask and deletes jobs", async () => {
    const parent = newLocation();
    const [created] = await client.createJob({
      parent,
      job: httpJob(parent, "job-0", { description: "first", timeZone: "America/New_York" }),
    });
    expect(created.name).toBe(`${parent}/jobs/job-0`);
    expect(created.state).toBe("ENABLED");
    expect(created.timeZone).toBe("America/New_York");
    expect(toMs(created.scheduleTime)).toBeGreaterThan(Date.now());
    expect(toMs(created.userUpdateTime)).toBeGreaterThan(Date.now() - 60_000);
    expect(created.attemptDeadline?.seconds?.toString()).toBe("180"); // the real default
    expect(created.retryConfig?.retryCount).toBe(0);

    const [fetched] = await client.getJob({ name: created.name });
    expect(fetched.description).toBe("first");
    expect(fetched.httpTarget?.uri).toBe(`${receiver.url}/ok-job-0`);

    for (const id of ["job-1", "job-2", "job-3", "job-4"]) await client.createJob({ parent, job: httpJob(parent, id) });
    const pages: string[][] = [];
    let request: ListRequest | null = { parent, pageSize: 2 };
    while (request) {
      const [jobs, next]: [Job[], ListRequest | null, unknown] = await client.listJobs(request, { autoPaginate: false });
      pages.push(jobs.map((job) => job.name ?? ""));
      request = next;
    }
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(["job-0", "job-1", "job-2", "job-3", "job-4"].map((id) => `${parent}/jobs/${id}`));
    const all: string[] = [];
    for await (const job of client.listJobsAsync({ parent }, { autoPaginate: false })) all.push(job.name ?? "");
    expect(all).toHaveLength(5);
    const [elsewhere] = await client.listJobs({ parent: newLocation() });
    expect(elsewhere).toEqual([]);

    // Only the masked fields change; snake_case nested paths work.
    const [updated] = await client.updateJob({
      job: { name: created.name, description: "second", schedule: "5 5 * * *", httpTarget: { uri: `${receiver.url}/moved` } },
      updateMask: { paths: ["description", "http_target.uri"] },
    });
    expect(updated.description).toBe("second");
    expect(updated.schedule).toBe(FAR_SCHEDULE);
    expect(updated.httpTarget?.uri).toBe(`${receiver.url}/moved`);
    expect(updated.httpTarget?.httpMethod).toBe("POST");
    const [rescheduled] = await client.updateJob({
      job: { name: created.name, schedule: "5 5 * * *", retryConfig: { retryCount: 3 } },
      updateMask: { paths: ["schedule", "retry_config.retry_count"] },
    });
    expect(rescheduled.schedule).toBe("5 5 * * *");
    expect(rescheduled.retryConfig?.retryCount).toBe(3);
    expect(new Date(toMs(rescheduled.scheduleTime)).getUTCMinutes()).toBe(5);
    await expect(
      client.updateJob({ job: { name: created.name, schedule: "not a cron" }, updateMask: { paths: ["schedule"] } }),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });

    await client.deleteJob({ name: created.name });
    await expect(client.getJob({ name: created.name })).rejects.toMatchObject({ code: status.NOT_FOUND });
    const [left] = await client.listJobs({ parent });
    expect(left).toHaveLength(4);

    // The options above kept google-gax from looking for credentials at all.
    expect(credentialLookup).not.toHaveBeenCalled();
  });

  it("answers with the real service's status codes", async () => {
    const parent = newLocation();
    await client.createJob({ parent, job: httpJob(parent, "dup") });
    const rejects = (promise: Promise<unknown>, code: status) => expect(promise).rejects.toMatchObject({ code });

    await rejects(client.createJob({ parent, job: httpJob(parent, "dup") }), status.ALREADY_EXISTS);
    await rejects(client.getJob({ name: `${parent}/jobs/nope` }), status.NOT_FOUND);
    await rejects(client.deleteJob({ name: `${parent}/jobs/nope` }), status.NOT_FOUND);
    await rejects(client.runJob({ name: `${parent}/jobs/nope` }), status.NOT_FOUND);
    await rejects(client.updateJob({ job: httpJob(parent, "nope") }), status.NOT_FOUND);
    await rejects(client.createJob({ parent, job: httpJob(parent, "bad-cron", { schedule: "61 * * * *" }) }), status.INVALID_ARGUMENT);
    await rejects(client.createJob({ parent, job: httpJob(parent, "bad-zone", { timeZone: "Mars/Olympus" }) }), status.INVALID_ARGUMENT);
    await rejects(client.createJob({ parent, job: httpJob(parent, "bad name!") }), status.INVALID_ARGUMENT);
    await rejects(client.createJob({ parent, job: httpJob(newLocation(), "other-parent") }), status.INVALID_ARGUMENT);
    await rejects(client.createJob({ parent, job: { name: `${parent}/jobs/no-target`, schedule: FAR_SCHEDULE } }), status.INVALID_ARGUMENT);
    await rejects(client.createJob({ parent, job: { ...httpJob(parent, "no-schedule"), schedule: "" } }), status.INVALID_ARGUMENT);
    await rejects(
      client.createJob({ parent, job: httpJob(parent, "get-body", { httpTarget: { uri: receiver.url, httpMethod: "GET", body: Buffer.from("x") } }) }),
      status.INVALID_ARGUMENT,
    );
    await rejects(client.createJob({ parent, job: httpJob(parent, "retries", { retryConfig: { retryCount: 6 } }) }), status.INVALID_ARGUMENT);
    await rejects(client.createJob({ parent: "projects/emu-test", job: httpJob(parent, "x") }), status.INVALID_ARGUMENT);

    // Limits the emulator relaxes only on request: seconds and sub-15 s deadlines.
    const strictParent = newLocation();
    await rejects(
      strictClient.createJob({ parent: strictParent, job: httpJob(strictParent, "secs", { schedule: "* * * * * *" }) }),
      status.INVALID_ARGUMENT,
    );
    await rejects(
      strictClient.createJob({ parent: strictParent, job: httpJob(strictParent, "short", { attemptDeadline: ms(5_000) }) }),
      status.INVALID_ARGUMENT,
    );
    const [ok] = await strictClient.createJob({ parent: strictParent, job: httpJob(strictParent, "ok", { attemptDeadline: ms(15_000) }) });
    expect(ok.attemptDeadline?.seconds?.toString()).toBe("15");
    await rejects(
      strictClient.createJob({ parent: strictParent, job: httpJob(strictParent, "bad-english", { schedule: "every 5 fortnights" }) }),
      status.INVALID_ARGUMENT,
    );

    // English-like schedules are taken, with their next run.
    const before = Date.now();
    const [english] = await strictClient.createJob({ parent: strictParent, job: httpJob(strictParent, "english", { schedule: "every 5 minutes" }) });
    expect(english.schedule).toBe("every 5 minutes");
    expect(toMs(english.scheduleTime) - before).toBeGreaterThanOrEqual(300_000);
    expect(toMs(english.scheduleTime) - Date.now()).toBeLessThanOrEqual(300_000);
    const [weekly] = await strictClient.createJob({ parent: strictParent, job: httpJob(strictParent, "weekly", { schedule: "every monday 09:00", timeZone: "UTC" }) });
    expect(new Date(toMs(weekly.scheduleTime)).toISOString()).toMatch(/T09:00:00\.000Z$/);
    expect(new Date(toMs(weekly.scheduleTime)).getUTCDay()).toBe(1);

    // A job with no name gets one under its parent.
    const [named] = await client.createJob({ parent, job: { schedule: FAR_SCHEDULE, httpTarget: { uri: receiver.url } } });
    expect(named.name).toMatch(new RegExp(`^${parent}/jobs/[A-Za-z0-9_-]+$`));
  });

  it("fires a seconds cron with Cloud Scheduler's headers, the job's own, and a verifiable OIDC token", async () => {
    const parent = newLocation();
    const audience = "https://worker.example/run";
    const [job] = await client.createJob({
      parent,
      job: httpJob(parent, "every-second", {
        schedule: "* * * * * *",
        httpTarget: {
          uri: `${receiver.url}/ok-every-second`,
          httpMethod: "PUT",
          headers: { "Content-Type": "application/json", "X-Custom": "kept", "User-Agent": "replaced", "X-CloudScheduler": "spoofed" },
          body: Buffer.from('{"hello":"world"}'),
          oidcToken: { serviceAccountEmail: SERVICE_ACCOUNT, audience },
        },
      }),
    });
    const hits = await eventually(() => {
      const seen = receiver.to("/ok-every-second");
      expect(seen.length).toBeGreaterThanOrEqual(2);
      return seen;
    });
    await client.deleteJob({ name: job.name });

    const [first, second] = hits as [Received, Received];
    expect(first.method).toBe("PUT");
    expect(first.body).toBe('{"hello":"world"}');
    expect(first.headers["content-type"]).toBe("application/json");
    expect(first.headers["x-custom"]).toBe("kept");
    expect(first.headers["user-agent"]).toBe("Google-Cloud-Scheduler");
    expect(first.headers["x-cloudscheduler"]).toBe("true");
    expect(first.headers["x-cloudscheduler-jobname"]).toBe("every-second");
    // Each slot, on a whole second of the job's zone (UTC here), one second apart.
    const times = [first, second].map((hit) => String(hit.headers["x-cloudscheduler-scheduletime"]));
    for (const time of times) expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(times[1]!) - Date.parse(times[0]!)).toBe(1000);
    expect(Math.abs(first.at - Date.parse(times[0]!))).toBeLessThan(5_000);

    const authorization = String(first.headers.authorization);
    expect(authorization).toMatch(/^Bearer /);
    const idToken = authorization.slice("Bearer ".length);
    const verifier = new OAuth2Client({ endpoints: { oauth2FederatedSignonPemCertsUrl: emulator.certsUrl } });
    const ticket = await verifier.verifyIdToken({ idToken, audience });
    expect(ticket.getPayload()).toMatchObject({ iss: "https://accounts.google.com", aud: audience, email: SERVICE_ACCOUNT });
    await expect(verifier.verifyIdToken({ idToken, audience: "https://someone.else" })).rejects.toThrow();
  });

  it("records status, last_attempt_time and the next schedule_time; RunJob uses now as ScheduleTime", async () => {
    const parent = newLocation();
    const path = "/ok-run-now";
    const [job] = await client.createJob({
      parent,
      job: httpJob(parent, "run-now", {
        timeZone: "America/New_York",
        httpTarget: { uri: `${receiver.url}${path}`, oidcToken: { serviceAccountEmail: SERVICE_ACCOUNT } },
      }),
    });
    expect(job.status).toBeFalsy();
    expect(job.lastAttemptTime).toBeFalsy();
    const before = Date.now();
    const [ran] = await client.runJob({ name: job.name });
    expect(toMs(ran.lastAttemptTime)).toBeGreaterThanOrEqual(before - 1);

    const [hit] = await eventually(() => {
      const seen = receiver.to(path);
      expect(seen).toHaveLength(1);
      return seen;
    });
    const scheduleTime = String(hit!.headers["x-cloudscheduler-scheduletime"]);
    expect(scheduleTime).toMatch(/-0[45]:00$/); // New York's offset
    expect(Math.abs(Date.parse(scheduleTime) - before)).toBeLessThan(5_000);
    // No audience set: the token is for the target's URI.
    const verifier = new OAuth2Client({ endpoints: { oauth2FederatedSignonPemCertsUrl: emulator.certsUrl } });
    await verifier.verifyIdToken({ idToken: String(hit!.headers.authorization).slice(7), audience: `${receiver.url}${path}` });

    const done = await eventually(async () => {
      const [current] = await client.getJob({ name: job.name });
      expect(current.status).toBeTruthy();
      return current;
    });
    expect(done.status?.code).toBe(0);
    expect(toMs(done.lastAttemptTime)).toBeGreaterThanOrEqual(before - 1);
    expect(toMs(done.scheduleTime)).toBe(toMs(job.scheduleTime)); // still the yearly slot
  });

  it("retries a failing attempt retry_count times with backoff, for the same ScheduleTime, then records the error", async () => {
    const parent = newLocation();
    const path = "/fail-retries";
    const [job] = await client.createJob({
      parent,
      job: httpJob(parent, "retries", {
        httpTarget: { uri: `${receiver.url}${path}` },
        retryConfig: { retryCount: 2, minBackoffDuration: ms(200), maxBackoffDuration: ms(10_000), maxDoublings: 1 },
      }),
    });
    const yearly = toMs(job.scheduleTime);
    await client.runJob({ name: job.name });

    // Done once no retry is pending: schedule_time is back on the yearly slot.
    const finished = await eventually(async () => {
      const [current] = await client.getJob({ name: job.name });
      expect(receiver.to(path)).toHaveLength(3);
      expect(toMs(current.scheduleTime)).toBe(yearly);
      return current;
    });
    const hits = receiver.to(path);
    expect(hits).toHaveLength(3); // the attempt and two retries, no more
    expect(new Set(hits.map((hit) => hit.headers["x-cloudscheduler-scheduletime"])).size).toBe(1);
    // Waits of at least min_backoff, then doubled (timers never fire early by more than a tick).
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(200 - 15);
    expect(hits[2]!.at - hits[1]!.at).toBeGreaterThanOrEqual(400 - 15);
    expect(finished.status?.code).toBe(status.INTERNAL);
    expect(finished.status?.message).toMatch(/500/);
    expect(toMs(finished.lastAttemptTime)).toBeGreaterThanOrEqual(hits[2]!.at - 1_000);
  });

  it("stops retrying a slot when the next slot is due, whatever retry_count is left", async () => {
    const parent = newLocation();
    const path = "/fail-every-second";
    // Retries every 600 ms: one fits before the next one-second slot, a second would not.
    const [job] = await client.createJob({
      parent,
      job: httpJob(parent, "cut-by-slot", {
        schedule: "* * * * * *",
        httpTarget: { uri: `${receiver.url}${path}` },
        retryConfig: { retryCount: 5, minBackoffDuration: ms(600), maxBackoffDuration: ms(600) },
      }),
    });
    const slots = await eventually(() => {
      const seen = [...new Set(receiver.to(path).map((hit) => String(hit.headers["x-cloudscheduler-scheduletime"])))];
      expect(seen.length).toBeGreaterThanOrEqual(3); // the first two slots are complete
      return seen;
    });
    await client.deleteJob({ name: job.name });
    for (const slot of slots.slice(0, 2)) {
      const attempts = receiver.to(path).filter((hit) => hit.headers["x-cloudscheduler-scheduletime"] === slot);
      expect(attempts, slot).toHaveLength(2);
    }
  });

  it("gives up on an attempt at attempt_deadline and records DEADLINE_EXCEEDED", async () => {
    const parent = newLocation();
    const path = "/hang-deadline";
    const [job] = await client.createJob({
      parent,
      job: httpJob(parent, "deadline", { httpTarget: { uri: `${receiver.url}${path}` }, attemptDeadline: ms(300) }),
    });
    expect(toMs(job.attemptDeadline)).toBe(300);
    await client.runJob({ name: job.name });
    const current = await eventually(async () => {
      const [fetched] = await client.getJob({ name: job.name });
      expect(fetched.status?.code).toBe(status.DEADLINE_EXCEEDED);
      return fetched;
    });
    expect(receiver.to(path)).toHaveLength(1); // retry_count 0: no second attempt
    expect(current.status?.message).toMatch(/deadline/);
  });

  it("does not fire paused jobs; resume brings the schedule back; RunJob still runs a paused job", async () => {
    const parent = newLocation();
    const job = (id: string) => httpJob(parent, id, { schedule: "* * * * * *" });
    const [paused] = await client.createJob({ parent, job: job("paused") });
    await client.createJob({ parent, job: job("control") });
    const [pauseResult] = await client.pauseJob({ name: paused.name });
    expect(pauseResult.state).toBe("PAUSED");
    expect(pauseResult.scheduleTime).toBeFalsy();
    await expect(client.pauseJob({ name: paused.name })).rejects.toMatchObject({ code: status.FAILED_PRECONDITION });

    // Let anything dispatched before the pause land, then watch two more control slots.
    const controlStart = await eventually(() => {
      const count = receiver.to("/ok-control").length;
      expect(count).toBeGreaterThanOrEqual(1);
      return count;
    });
    const pausedCount = receiver.to("/ok-paused").length;
    await eventually(() => expect(receiver.to("/ok-control").length).toBeGreaterThanOrEqual(controlStart + 2));
    expect(receiver.to("/ok-paused")).toHaveLength(pausedCount);

    await client.runJob({ name: paused.name });
    await eventually(() => expect(receiver.to("/ok-paused")).toHaveLength(pausedCount + 1));

    const [resumed] = await client.resumeJob({ name: paused.name });
    expect(resumed.state).toBe("ENABLED");
    expect(toMs(resumed.scheduleTime)).toBeGreaterThan(Date.now() - 1_000);
    await expect(client.resumeJob({ name: paused.name })).rejects.toMatchObject({ code: status.FAILED_PRECONDITION });
    await eventually(() => expect(receiver.to("/ok-paused").length).toBeGreaterThanOrEqual(pausedCount + 3));

    // An update keeps a paused job paused.
    await client.pauseJob({ name: paused.name });
    const [updated] = await client.updateJob({ job: { name: paused.name, description: "still paused" }, updateMask: { paths: ["description"] } });
    expect(updated.state).toBe("PAUSED");
    await Promise.all([client.deleteJob({ name: paused.name }), client.deleteJob({ name: `${parent}/jobs/control` })]);
  });
});
