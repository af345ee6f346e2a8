// Fault controls of the Cloud Tasks emulator: the service refusing CreateTask
// for a while, as it does when it is overloaded or a zone is down, so callers'
// handling of a refused enqueue can be tested (npm run faults; emulators/README.md).
import { status } from "@grpc/grpc-js";
import { RpcError } from "./rpc-error.ts";

export class CreateTaskFaults {
  private refusingUntil = 0;
  /** CreateTasks refused so far (for a fault run's figures). */
  refused = 0;

  /** Refuse every CreateTask with UNAVAILABLE for `seconds` from now (0 ends a refusal early). */
  refuseFor(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error("seconds must be a number >= 0");
    this.refusingUntil = seconds > 0 ? Date.now() + seconds * 1000 : 0;
  }

  /** Throws the real service's UNAVAILABLE while a refusal lasts. */
  check(nowMs: number): void {
    if (nowMs < this.refusingUntil) {
      this.refused += 1;
      throw new RpcError(status.UNAVAILABLE, "The service is currently unavailable.");
    }
  }
}
