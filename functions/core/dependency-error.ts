/**
 * A dependency (Redis, Cloud Tasks, Pub/Sub…) did not answer. The API maps it to
 * 503 with nothing half-written; the worker to a non-2xx so the delivery is retried.
 */
export class DependencyError extends Error {
  override readonly name = "DependencyError";
  readonly dependency: string;
  constructor(dependency: string, message: string, options?: { cause?: unknown }) {
    super(`${dependency}: ${message}`, options);
    this.dependency = dependency;
  }
}

export const isDependencyError = (error: unknown): error is DependencyError =>
  error instanceof Error && error.name === "DependencyError";
