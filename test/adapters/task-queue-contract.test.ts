// The TaskQueue contract against CloudTasksQueue: the real @google-cloud/tasks client and our emulator.
import { afterAll, beforeAll } from "vitest";
import { randomUUID } from "node:crypto";
import { CloudTasksClient } from "@google-cloud/tasks";
import { cloudTasksClientOptions, startCloudTasksEmulator, type CloudTasksEmulator } from "../../emulators/cloud-tasks/index.ts";
import { freePort } from "../../emulators/ports.ts";
import { CloudTasksQueue } from "../../functions/adapters/cloud-tasks/task-queue.ts";
import { describeTaskQueueContract } from "../contracts/task-queue.contract.ts";

const project = "contract";
const location = "us-central1";
const parent = `projects/${project}/locations/${location}`;
let emulator: CloudTasksEmulator;
let client: CloudTasksClient;
let queue: CloudTasksQueue;

beforeAll(async () => {
  emulator = await startCloudTasksEmulator({ port: await freePort() });
  client = new CloudTasksClient(cloudTasksClientOptions(emulator.port));
  // Nothing is dispatched (every task is an hour ahead): the URL only has to be well-formed.
  queue = new CloudTasksQueue({ project, location, emulatorHost: emulator.endpoint, workerUrls: { worker: "http://127.0.0.1:9/worker" } });
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

describeTaskQueueContract("cloud tasks emulator", async () => {
  const name = `q-${randomUUID()}`;
  await client.createQueue({ parent, queue: { name: `${parent}/queues/${name}` } });
  return {
    queue, name,
    waiting: async (of) => {
      const [tasks] = await client.listTasks({ parent: `${parent}/queues/${of}`, responseView: "FULL" });
      return tasks.map((task) => ({ name: (task.name ?? "").split("/").pop() ?? "", body: Buffer.from(task.httpRequest?.body ?? "").toString() }));
    },
  };
});
