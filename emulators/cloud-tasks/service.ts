// Binds the RPC handlers to grpc-js: a handler returns the response or throws
// an RpcError, which becomes the call's status. IAM methods stay UNIMPLEMENTED.
import * as grpc from "@grpc/grpc-js";
import { queueRpcs } from "./queue-rpcs.ts";
import type { QueueRegistry } from "./queue-registry.ts";
import { RpcError } from "./rpc-error.ts";
import { taskRpcs } from "./task-rpcs.ts";
import type { CreateTaskFaults } from "./faults.ts";

type Handler = (request: never) => unknown;

function unary(handler: Handler, log: (line: string) => void): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    let response: unknown;
    try {
      response = handler(call.request as never);
    } catch (error) {
      if (error instanceof RpcError) {
        callback({ code: error.code, details: error.message });
      } else {
        log(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
        callback({ code: grpc.status.INTERNAL, details: String(error) });
      }
      return;
    }
    callback(null, response);
  };
}

export function cloudTasksImplementation(
  registry: QueueRegistry,
  log: (line: string) => void,
  faults?: CreateTaskFaults,
): grpc.UntypedServiceImplementation {
  const handlers: Record<string, Handler> = { ...queueRpcs(registry), ...taskRpcs(registry, faults) };
  return Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [name, unary(handler, log)]));
}
