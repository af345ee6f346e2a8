// The notification domain's outside system: the user system's signed webhook.
import { port } from "../../core/task-kit.ts";

/** Where notification tasks deliver: the user system's signed webhook. */
export interface NotificationDelivery {
  /** The same on every retry of one notification (e.g. the sending task's id), so receivers drop duplicates. */
  id: string;
  signal?: AbortSignal;
}

export interface Notifier {
  send(event: string, body: Record<string, unknown>, delivery: NotificationDelivery): Promise<{ status: number }>;
}


export const notifier = port<Notifier>("notifier");
