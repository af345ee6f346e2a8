// Resource names: projects/P/locations/L/queues/Q/tasks/T, validated with the
// character sets the API documents, and the ids Cloud Tasks generates.
import { randomBytes } from "node:crypto";
import { invalidArgument } from "./rpc-error.ts";

const PROJECT = "[A-Za-z0-9\\-:.]+";
const LOCATION = "[A-Za-z0-9\\-]+";
const QUEUE_ID = /^[A-Za-z0-9-]{1,100}$/;
const TASK_ID = /^[A-Za-z0-9_-]{1,500}$/;
const LOCATION_NAME = new RegExp(`^projects/${PROJECT}/locations/${LOCATION}$`);
const QUEUE_NAME = new RegExp(`^(projects/${PROJECT}/locations/${LOCATION})/queues/([^/]+)$`);
const TASK_NAME = new RegExp(`^(projects/${PROJECT}/locations/${LOCATION}/queues/[^/]+)/tasks/([^/]*)$`);

const QUEUE_NAME_FORMAT =
  'Queue name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/queues/<QUEUE_ID>".';

/** Checks a `projects/P/locations/L` parent. */
export function checkLocationName(parent: string | undefined): string {
  if (!parent || !LOCATION_NAME.test(parent)) {
    throw invalidArgument(`Parent must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>".`);
  }
  return parent;
}

export interface QueueName { name: string; parent: string; id: string }

export function parseQueueName(name: string | undefined): QueueName {
  const match = name ? QUEUE_NAME.exec(name) : null;
  if (!name || !match || !QUEUE_ID.test(match[2] ?? "")) throw invalidArgument(QUEUE_NAME_FORMAT);
  return { name, parent: match[1] ?? "", id: match[2] ?? "" };
}

export interface TaskName { name: string; queue: QueueName; id: string }

export function parseTaskName(name: string | undefined): TaskName {
  const match = name ? TASK_NAME.exec(name) : null;
  if (!name || !match) {
    throw invalidArgument(
      'Task name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/queues/<QUEUE_ID>/tasks/<TASK_ID>".',
    );
  }
  const id = match[2] ?? "";
  if (!TASK_ID.test(id)) {
    throw invalidArgument(
      `Task ID "${id}" can contain only letters ([A-Za-z]), numbers ([0-9]), hyphens (-), or underscores (_). Task ID must between 1 and 500 characters.`,
    );
  }
  return { name, queue: parseQueueName(match[1]), id };
}

/**
 * A task id like the ones Cloud Tasks generates: a random unsigned 64-bit number
 * in decimal, uniformly spread as the service wants ids to be.
 */
export function generateTaskId(): string {
  return randomBytes(8).readBigUInt64BE().toString();
}
