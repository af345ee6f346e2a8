// The queue half of google.cloud.tasks.v2.CloudTasks.
import { checkLocationName, parseQueueName } from "./names.ts";
import { pageOf } from "./paging.ts";
import { applyUpdateMask } from "./queue-config.ts";
import type { QueueEntry, QueueRegistry } from "./queue-registry.ts";
import { invalidArgument } from "./rpc-error.ts";
import type { QueueMessage } from "./wire.ts";

const MAX_QUEUE_PAGE = 9800;

interface ListQueuesRequest { parent?: string; filter?: string; page_size?: number; page_token?: string }

/** ListQueues filters on state only ("state: PAUSED"), the one field the API documents for it. */
function stateFilter(filter: string | undefined): string | undefined {
  if (!filter?.trim()) return undefined;
  const match = /^\s*state\s*[:=]\s*([A-Z_]+)\s*$/i.exec(filter);
  if (!match?.[1]) throw invalidArgument(`Unsupported filter "${filter}"; the emulator filters on state only.`);
  return match[1].toUpperCase();
}

export function queueRpcs(registry: QueueRegistry) {
  const byName = (name: string | undefined): QueueEntry => registry.get(parseQueueName(name).name);
  const show = (entry: QueueEntry) => registry.queueMessage(entry);

  return {
    CreateQueue(request: { parent?: string; queue?: QueueMessage }): QueueMessage {
      const parent = checkLocationName(request.parent);
      if (!request.queue) throw invalidArgument("Queue is required.");
      const name = parseQueueName(request.queue.name);
      if (name.parent !== parent) {
        throw invalidArgument(`The queue name must start with the parent "${parent}".`);
      }
      return show(registry.create(name, applyUpdateMask({}, request.queue, [])));
    },

    GetQueue(request: { name?: string }): QueueMessage {
      return show(byName(request.name));
    },

    ListQueues(request: ListQueuesRequest) {
      const parent = checkLocationName(request.parent);
      const state = stateFilter(request.filter);
      const entries = [...registry.queues.values()]
        .filter((entry) => entry.name.parent === parent && (!state || entry.state === state))
        .sort((a, b) => (a.name.name < b.name.name ? -1 : 1));
      const page = pageOf(entries, (entry) => entry.name.name, request, MAX_QUEUE_PAGE);
      return { queues: page.items.map(show), next_page_token: page.nextPageToken };
    },

    /** Creates the queue when it does not exist, as the service does. */
    UpdateQueue(request: { queue?: QueueMessage; update_mask?: { paths?: string[] } }): QueueMessage {
      if (!request.queue) throw invalidArgument("Queue is required.");
      const name = parseQueueName(request.queue.name);
      const paths = request.update_mask?.paths ?? [];
      const entry = registry.queues.get(name.name);
      if (!entry) return show(registry.create(name, applyUpdateMask({}, request.queue, paths)));
      registry.reconfigure(entry, applyUpdateMask(entry.settings, request.queue, paths));
      return show(entry);
    },

    DeleteQueue(request: { name?: string }): Record<string, never> {
      registry.delete(byName(request.name));
      return {};
    },

    PurgeQueue(request: { name?: string }): QueueMessage {
      const entry = byName(request.name);
      registry.purge(entry);
      return show(entry);
    },

    PauseQueue(request: { name?: string }): QueueMessage {
      const entry = byName(request.name);
      registry.setPaused(entry, true);
      return show(entry);
    },

    ResumeQueue(request: { name?: string }): QueueMessage {
      const entry = byName(request.name);
      registry.setPaused(entry, false);
      return show(entry);
    },
  };
}
