// The processes below a pid, read from /proc (Linux): for checking that a dead
// parent left nothing behind. A process is named by pid and start time, so a pid
// the kernel hands out again later is not mistaken for a survivor.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** Start time in clock ticks since boot: with the pid, names one process for good. */
  start: string;
  state: string;
  command: string;
}

function read(pid: number): ProcessEntry | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command sits in parentheses and may hold spaces; the fields after it are plain.
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" ");
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim() || stat.slice(stat.indexOf("(") + 1, close);
    return { pid, ppid: Number(fields[1]), start: fields[19] as string, state: fields[0] as string, command };
  } catch {
    return null;
  }
}

function all(): ProcessEntry[] {
  return readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map((name) => read(Number(name))).filter((p): p is ProcessEntry => p !== null);
}

/** Every descendant of `root`, however deep. */
export function descendants(root: number): ProcessEntry[] {
  const processes = all();
  const found: ProcessEntry[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const children = processes.filter((p) => frontier.includes(p.ppid));
    found.push(...children);
    frontier = children.map((p) => p.pid);
  }
  return found;
}

/** Those of `processes` still running (a zombie waiting to be reaped has ended). */
export function survivors(processes: ProcessEntry[]): ProcessEntry[] {
  return processes.filter((p) => {
    const now = read(p.pid);
    return now !== null && now.start === p.start && now.state !== "Z";
  });
}
