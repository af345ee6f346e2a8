// Everything a task file needs, from one place (as Temporal's activity package
// is for an activity): defineTask and its ctx types, the platform's ports a task
// may declare in `uses`, `port()` for a domain's own, the errors a handler or a
// prepare step throws, and the resumable sweep. A domain's ports come from its
// own functions/tasks/<domain>/ports.ts.
export { defineTask, type EnqueueOptions, type PrepareContext, type TaskContext } from "./define-task.ts";
export { port, type UsedPorts } from "./port.ts";
export { blobs, callbacks, kv, outbox, taskHistory, usage, type BlobStore, type CallbackDelivery, type KeyValueStore } from "./ports.ts";
// Errors: NonRetryableError ends the task in FAILURE at once; RetryAfterError retries after the delay it names;
// SubmissionError refuses a submit (from `prepare`) with a 4xx naming the field.
export { NonRetryableError, isNonRetryable, RetryAfterError, SubmissionError, type FieldIssue } from "./errors.ts";
// A media port's definition names the outbound policy its fetcher must keep.
export type { OutboundUrlPolicy, UrlVerdict } from "./outbound-url-policy.ts";
export { sweepInBatches, sweepOutput, sweepResume, sweepTiming } from "./resumable-sweep.ts";
