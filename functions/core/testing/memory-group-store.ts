// GroupStore in memory, for unit tests and the contract suite. The counting the
// Redis finish script does on the group hash is count() here, called by
// MemoryTaskStore.finish in the same synchronous step as the final state.
import type { GroupRecord, GroupStore } from "../groups.ts";
import type { TaskDetail } from "../task-record.ts";

type Counted = "SUCCESS" | "FAILURE" | "REVOKED";

export class MemoryGroupStore implements GroupStore {
  readonly #groups = new Map<string, GroupRecord>();
  readonly #members = new Map<string, Map<number, string>>();
  /** Reads task results for results(); a MemoryTaskStore passes its own detail(). */
  #detail: (id: string) => Promise<TaskDetail | null> = async () => null;

  resultsFrom(detail: (id: string) => Promise<TaskDetail | null>): void {
    this.#detail = detail;
  }

  async create(record: Parameters<GroupStore["create"]>[0]): Promise<void> {
    this.#groups.set(record.id, { ...record, done: 0, succeeded: 0, failed: 0, revoked: 0, submitted: 0, submitErrors: 0, cancelled: false });
  }

  async get(id: string): Promise<GroupRecord | null> {
    const group = this.#groups.get(id);
    return group ? structuredClone(group) : null;
  }

  async members(id: string, start: number, count: number): Promise<string[]> {
    const members = this.#members.get(id);
    const ids: string[] = [];
    for (let i = start; i < start + count; i += 1) {
      const taskId = members?.get(i);
      if (taskId) ids.push(taskId);
    }
    return ids;
  }

  async addMembers(id: string, entries: { index: number; taskId: string }[]): Promise<void> {
    const members = this.#members.get(id) ?? new Map<number, string>();
    for (const entry of entries) members.set(entry.index, entry.taskId);
    this.#members.set(id, members);
  }

  async progress(id: string, submitted: number, submitErrors: number): Promise<void> {
    const group = this.#group(id);
    // Both only grow, as in Redis: a late follow-up never lowers what a later one wrote.
    group.submitted = Math.max(group.submitted, submitted);
    group.submitErrors = Math.max(group.submitErrors, submitErrors);
  }

  async remove(id: string): Promise<void> {
    this.#groups.delete(id);
    this.#members.delete(id);
  }

  async update(id: string, fields: Partial<Pick<GroupRecord, "callbackTaskId" | "error" | "cancelled">>): Promise<void> {
    const group = this.#group(id);
    if (fields.callbackTaskId) group.callbackTaskId = fields.callbackTaskId;
    if (fields.error) group.error = fields.error;
    if (fields.cancelled) group.cancelled = true;
  }

  async results(taskIds: string[]): Promise<unknown[]> {
    const details = await Promise.all(taskIds.map((id) => this.#detail(id)));
    return details.map((detail) => (detail?.result ? JSON.parse(detail.result) : null));
  }

  /** A member reached a final state: the count after it, as the finish script answers it. */
  count(id: string, status: Counted): { done: number; total: number; kind: GroupRecord["kind"] | undefined } {
    const group = this.#group(id);
    group.done += 1;
    if (status === "SUCCESS") group.succeeded += 1;
    else if (status === "FAILURE") group.failed += 1;
    else group.revoked += 1;
    return { done: group.done, total: group.total, kind: group.kind };
  }

  /** Like HINCRBY/HSET on a missing hash: a group nobody created starts empty. */
  #group(id: string): GroupRecord {
    let group = this.#groups.get(id);
    if (!group) {
      group = {
        id, tenant: "", kind: undefined as unknown as GroupRecord["kind"], total: 0, done: 0, succeeded: 0, failed: 0, revoked: 0,
        submitted: 0, submitErrors: 0, cancelled: false, createdAt: 0, steps: [], allowPartial: false,
      };
      this.#groups.set(id, group);
    }
    return group;
  }
}
