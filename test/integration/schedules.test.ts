// Schedules in Cloud Scheduler (the emulator, driven by the real client): declared
// ones, ones created at run time, triggers with one task per slot.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import * as grpc from "@grpc/grpc-js";
import { CloudSchedulerClient } from "@google-cloud/scheduler";
import { Cron } from "croner";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";

const stack = inject("stack");
const api = apiClient(stack.apiUrl, stack.apiKey);
let client: CloudSchedulerClient;
const jobPath = (name: string) => `projects/local/locations/us-central1/jobs/tq-${name}`;

type Schedule = { name: string; origin: string; cron: string; time_zone: string; state: string; next_run: string | null; last_task_id: string | null; last_status: string | null };
type ErrorBody = { error: { code: string; message: string; details?: { fields?: { path: string }[] } } };

beforeAll(() => {
  const [host, port] = stack.schedulerEndpoint.split(":");
  client = new CloudSchedulerClient({ apiEndpoint: host, port: Number(port), sslCreds: grpc.credentials.createInsecure(), universeDomain: "googleapis.com", projectId: "local" });
});
afterAll(async () => client?.close());

const list = async () => (await api.call<{ schedules: Schedule[] }>("GET", "/v1/schedules")).body.schedules;

describe("declared schedules", () => {
  it("are applied to Cloud Scheduler and listed with next runs that match cron and zone", async () => {
    const schedules = await list();
    const tts = schedules.find((s) => s.name === "reset_all_daily_limits");
    expect(tts).toMatchObject({ origin: "code", cron: "0 0 * * *", time_zone: "UTC", state: "ENABLED" });
    for (const s of schedules.filter((x) => x.origin === "code")) {
      const expected = new Cron(s.cron, { timezone: s.time_zone, paused: true }).nextRun()!;
      expect(Date.parse(s.next_run!)).toBe(expected.getTime());
    }
    const [job] = await client.getJob({ name: jobPath("usage_statistics") });
    expect(job.schedule).toBe("0 * * * *");
  });

  it("trigger runs the task now, once per slot", async () => {
    const slot = new Date(Date.now() - 60_000).toISOString();
    const first = await api.call<{ task_id: string; duplicate: boolean }>("POST", "/v1/schedules/usage_statistics/trigger", { scheduled_time: slot });
    expect(first.status).toBe(202);
    const again = await api.call<{ task_id: string; duplicate: boolean }>("POST", "/v1/schedules/usage_statistics/trigger", {}, { "X-CloudScheduler-ScheduleTime": slot });
    expect(again.body.task_id).toBe(first.body.task_id);
    expect(again.body.duplicate).toBe(true);
    await api.waitFor(first.body.task_id, "SUCCESS");
    expect((await list()).find((s) => s.name === "usage_statistics")?.last_task_id).toBe(again.body.task_id);
  });

  it("runs each declared schedule's task when triggered", async () => {
    const declared = (await list()).filter((s) => s.origin === "code");
    expect(declared.length).toBeGreaterThanOrEqual(6);
    const slot = new Date(Date.now() - 3_600_000).toISOString();
    const started = await Promise.all(declared.map(async (s) => {
      const answer = await api.call<{ task_id: string }>("POST", `/v1/schedules/${s.name}/trigger`, { scheduled_time: slot });
      expect(answer.status, s.name).toBe(202);
      return { name: s.name, taskId: answer.body.task_id };
    }));
    for (const { name, taskId } of started) {
      const done = await api.waitFor(taskId, "SUCCESS", 60_000).catch(async (error: Error) => {
        throw new Error(`${name}: ${error.message} ${JSON.stringify((await api.status(taskId)).body.error)}`);
      });
      expect(done.status, name).toBe("SUCCESS");
    }
  }, 120_000);

  it("refuses a trigger without a key or with a forged token", async () => {
    const none = await fetch(`${stack.apiUrl}/v1/schedules/usage_statistics/trigger`, { method: "POST" });
    expect(none.status).toBe(401);
    const forged = await fetch(`${stack.apiUrl}/v1/schedules/usage_statistics/trigger`, { method: "POST", headers: { Authorization: "Bearer a.b.c" } });
    expect(forged.status).toBe(401);
  });
});

describe("schedules created at run time", () => {
  const name = `digest-${Date.now().toString(36)}`;

  it("validates every field", async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ name, cron: "61 * * * *", task: "testing.noop" }, 400, "cron"],
      [{ name, cron: "* * * *", task: "testing.noop" }, 400, "cron"],
      [{ name, cron: "* * * * *", time_zone: "Mars/Olympus", task: "testing.noop" }, 400, "time_zone"],
      [{ name, cron: "* * * * *", task: "no.such" }, 400, "unknown_type"],
      [{ name, cron: "* * * * *", task: "testing.sleep", payload: { seconds: "long" } }, 400, "payload.seconds"],
      [{ name: "Bad Name", cron: "* * * * *", task: "testing.noop" }, 400, "name"],
      [{ name: "reset_all_daily_limits", cron: "* * * * *", task: "testing.noop" }, 409, "declared"],
    ];
    for (const [body, status, mention] of cases) {
      const answer = await api.call<ErrorBody>("POST", "/v1/schedules", body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(answer.body.error)).toContain(mention);
    }
    const [jobs] = await client.listJobs({ parent: "projects/local/locations/us-central1" });
    expect(jobs.some((j) => j.name === jobPath(name))).toBe(false);
  });

  it("creates, runs, pauses, resumes, changes and deletes a schedule", async () => {
    const created = await api.call<Schedule>("POST", "/v1/schedules", { name, cron: "* * * * *", time_zone: "Asia/Ho_Chi_Minh", task: "testing.noop", payload: { n: 1 }, description: "every minute" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, origin: "api", state: "ENABLED" });
    expect((await api.call("POST", "/v1/schedules", { name, cron: "* * * * *", task: "testing.noop" })).status).toBe(409);
    const [job] = await client.getJob({ name: jobPath(name) });
    expect(job.timeZone).toBe("Asia/Ho_Chi_Minh");

    // Cloud Scheduler fires it (RunJob: the emulator calls the trigger endpoint with its OIDC token).
    await client.runJob({ name: jobPath(name) });
    const ran = await eventually(async () => {
      const s = (await list()).find((x) => x.name === name);
      expect(s?.last_task_id).toBeTruthy();
      return s!;
    }, { timeoutMs: 15_000 });
    await api.waitFor(ran.last_task_id!, "SUCCESS");
    await eventually(async () => expect((await list()).find((x) => x.name === name)?.last_status).toBe("OK"));

    const paused = await api.call<Schedule>("POST", `/v1/schedules/${name}/pause`);
    expect(paused.body).toMatchObject({ state: "PAUSED", next_run: null });
    const resumed = await api.call<Schedule>("POST", `/v1/schedules/${name}/resume`);
    expect(resumed.body.state).toBe("ENABLED");

    const patched = await api.call<Schedule>("PATCH", `/v1/schedules/${name}`, { cron: "0 8 * * 1" });
    expect(patched.status).toBe(200);
    expect(patched.body.cron).toBe("0 8 * * 1");
    expect((await api.call<ErrorBody>("PATCH", `/v1/schedules/${name}`, { cron: "bad" })).status).toBe(400);
    expect((await api.call<ErrorBody>("PATCH", "/v1/schedules/reset_all_daily_limits", { cron: "0 1 * * *" })).status).toBe(409);

    expect((await api.call("DELETE", `/v1/schedules/${name}`)).status).toBe(200);
    expect((await api.call("DELETE", `/v1/schedules/${name}`)).status).toBe(404);
    expect((await list()).some((x) => x.name === name)).toBe(false);
    await expect(client.getJob({ name: jobPath(name) })).rejects.toMatchObject({ code: 5 });
  }, 60_000);
});
