// An error that answers an RPC with a gRPC status, and the messages the real
// service uses (recorded from Cloud Tasks; see aertje/cloud-tasks-emulator
// conformance/golden/realcloud.json), so callers matching on them keep working.
import { status } from "@grpc/grpc-js";

export class RpcError extends Error {
  readonly code: status;
  constructor(code: status, message: string) {
    super(message);
    this.name = "RpcError";
    this.code = code;
  }
}

export const invalidArgument = (message: string) => new RpcError(status.INVALID_ARGUMENT, message);

export const queueNotFound = () =>
  new RpcError(
    status.NOT_FOUND,
    "Queue does not exist. If you just created the queue, wait at least a minute for the queue to initialize.",
  );

export const entityNotFound = () => new RpcError(status.NOT_FOUND, "Requested entity was not found.");

export const taskRecentlyGone = () =>
  new RpcError(
    status.NOT_FOUND,
    "The task no longer exists, though a task with this name existed recently. The task either successfully completed or was deleted.",
  );

export const queueAlreadyExists = () => new RpcError(status.ALREADY_EXISTS, "Queue already exists");

export const taskAlreadyExists = () => new RpcError(status.ALREADY_EXISTS, "Requested entity already exists");

export const queueExistedRecently = () =>
  new RpcError(
    status.FAILED_PRECONDITION,
    "The queue cannot be created because a queue with this name existed too recently.",
  );
