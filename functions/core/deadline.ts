// A bound on how long one dependency call may take, for calls whose client has
// no deadline of its own (or one that cannot be trusted to cover every stage).
// The call itself is not cancelled: its late outcome is ignored.
import { DependencyError } from "./errors.ts";

export function withDeadline<T>(work: Promise<T>, ms: number, dependency: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DependencyError(dependency, `no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a late failure after the deadline is nobody's to handle
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
