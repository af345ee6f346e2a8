// Makes a server the local stack starts (redis-server, java, postgres) die with
// the process that started it, also when that process is SIGKILLed and has no
// chance to stop it. Node cannot set PR_SET_PDEATHSIG, and these servers cannot
// watch their parent themselves (the functions can: see loopback.ts), so:
//
// - the server runs in a process group of its own (spawn with `detached: true`),
//   so one signal reaches what it forks too (postgres's backends);
// - beside it runs a tiny sh watchdog whose stdin is a pipe from this process.
//   When this process dies, however it dies, the kernel closes the pipe, `read`
//   returns, and the watchdog kills the server's group and removes its files.
//   No polling: the watchdog sleeps in read(2) until then.
//
// When the server exits first (a clean stop), the watchdog is dismissed.
import { spawn, type ChildProcess } from "node:child_process";
import type { Socket } from "node:net";

// $1: the process group to kill; $2: a directory to remove after (may be empty).
const WATCHDOG = 'read _ignored; kill -KILL "-$1" 2>/dev/null; if [ -n "$2" ]; then sleep 0.2; rm -rf -- "$2"; fi; exit 0';

export interface GuardOptions {
  /** A directory (the server's data) to remove once the group is killed. Default: none. */
  removeOnDeath?: string;
}

/**
 * Arranges for `child`, spawned with `detached: true` (its pid is its process
 * group), to be killed with its group when this process dies.
 */
export function killWithParent(child: ChildProcess, options: GuardOptions = {}): void {
  const group = child.pid;
  if (group === undefined) return;
  const watchdog = spawn("sh", ["-c", WATCHDOG, "parent-watchdog", String(group), options.removeOnDeath ?? ""], {
    // Its own group too: a Ctrl-C meant for the stack must not wake it early.
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
  });
  // Neither the watchdog nor its pipe keeps this process alive.
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  watchdog.stdin?.on("error", () => undefined);
  const dismiss = () => {
    if (watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill("SIGKILL");
    watchdog.stdin?.destroy();
  };
  if (child.exitCode !== null || child.signalCode !== null) dismiss();
  else child.once("exit", dismiss);
}
