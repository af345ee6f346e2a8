// An error that leaves an RPC with a gRPC status code, the way the real API reports
// bad requests (INVALID_ARGUMENT), missing jobs (NOT_FOUND) and so on.
import { status } from "@grpc/grpc-js";

export class RpcError extends Error {
  override name = "RpcError";
  readonly code: status;
  readonly details: string;

  constructor(code: status, message: string) {
    super(message);
    this.code = code;
    this.details = message;
  }
}

export const invalidArgument = (message: string) => new RpcError(status.INVALID_ARGUMENT, message);
export const notFound = (name: string) => new RpcError(status.NOT_FOUND, `Job not found: ${name}`);
