// The task types a caller may submit, with their inputs and outputs, derived at
// compile time from the registry (functions/registry.ts). Type-only imports: the
// client carries no server code at run time.
import type { z } from "zod";
import type { tasks } from "../functions/registry.ts";
import type { events } from "../functions/events/declarations.ts";

type Registered = (typeof tasks)[number];

/**
 * Tasks open to every caller. Internal ones (platform.callback) are never
 * submittable, and testing.* only where TESTING_TASKS is on: reach those with submitAny.
 */
type Submittable = Extract<Registered, { visibility: "public" }>;

/** A task type's name, e.g. "notify.system". */
export type TaskType = Submittable["name"];
type Definition<T extends TaskType> = Extract<Submittable, { name: T }>;
/** What submit takes for a type: its input schema's input (defaults may be left out). */
export type TaskInput<T extends TaskType> = z.input<Definition<T>["input"]>;
/** What the task returns on SUCCESS. */
export type TaskOutput<T extends TaskType> = z.output<Definition<T>["output"]>;

declare const taskTypeTag: unique symbol;
/** A task id that remembers its task's type, so wait() and result() know the output's type. */
export type TaskId<T extends TaskType = TaskType> = string & { readonly [taskTypeTag]?: T };

type Declared = (typeof events)[number];
/** A domain event's name, e.g. "query.completed". */
export type EventType = Declared["name"];
/** What POST /v1/events/{type} takes for an event. */
export type EventData<E extends EventType> = z.input<Extract<Declared, { name: E }>["schema"]>;
