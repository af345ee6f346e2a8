// tq's output for people: tables, a task's details, the progress line. Colour
// only on a terminal (and never with NO_COLOR); --json bypasses all of this.
import { styleText } from "node:util";
import type { GroupView, QueueView, ScheduleView, TaskView } from "../index.ts";

export interface Style {
  color: boolean;
}

type Colour = "green" | "red" | "yellow" | "cyan" | "dim" | "bold";
const paint = (style: Style, colour: Colour, text: string) => (style.color ? styleText(colour, text) : text);

const STATUS_COLOUR: Record<string, Colour> = { SUCCESS: "green", FAILURE: "red", REVOKED: "yellow", STARTED: "cyan", RETRY: "yellow" };
export const status = (style: Style, value: string) => (STATUS_COLOUR[value] ? paint(style, STATUS_COLOUR[value], value) : value);

/** HH:MM:SS of an ISO time, or "-". */
export const clock = (iso: string | null | undefined) => (iso ? iso.slice(11, 19) : "-");

/** Columns padded to their widest cell; colour codes do not count towards the width. */
function table(header: string[], rows: string[][]): string {
  const visible = (cell: string) => cell.replace(/\u001b\[[0-9;]*m/g, "").length;
  const widths = header.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ""))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat(widths[i]! - visible(c)))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

export function taskTable(style: Style, tasks: TaskView[]): string {
  if (tasks.length === 0) return "no tasks\n";
  return table(
    ["TASK ID", "TYPE", "QUEUE", "STATUS", "PROGRESS", "ATTEMPTS", "CREATED"],
    tasks.map((t) => [t.task_id, t.type, t.queue, status(style, t.status), `${Math.round(t.progress)}%`, `${t.attempts}/${t.max_attempts}`, clock(t.created_at)]),
  );
}

export function taskDetails(style: Style, t: TaskView): string {
  const rows: [string, string][] = [
    ["task", t.task_id],
    ["type", `${t.type} (queue ${t.queue}${t.priority === "high" ? ", high priority" : ""})`],
    ["status", `${status(style, t.status)}${t.message ? ` — ${t.message}` : ""}`],
    ["progress", `${Math.round(t.progress)}%`],
    ["attempts", `${t.attempts} of ${t.max_attempts}`],
    ["created", t.created_at ?? "-"],
    ...(t.eta ? ([["eta", t.eta]] as [string, string][]) : []),
    ["started", t.started_at ?? "-"],
    ["finished", t.finished_at ?? "-"],
    ...(t.next_attempt_at ? ([["next attempt", t.next_attempt_at]] as [string, string][]) : []),
    ...(t.group_id ? ([["group", t.group_id]] as [string, string][]) : []),
    ...(t.error ? ([["error", paint(style, "red", `${t.error.type}: ${t.error.message}`)]] as [string, string][]) : []),
  ];
  return rows.map(([k, v]) => `${k.padEnd(13)}${v}`).join("\n") + "\n";
}

/** One line that redraws in place on a terminal: status, a bar, percent, message. */
export function progressLine(style: Style, t: TaskView, columns = 80, width = 24): string {
  const filled = Math.round((Math.min(100, Math.max(0, t.progress)) / 100) * width);
  const bar = "█".repeat(filled) + "░".repeat(width - filled);
  const head = `${t.type} ${t.status.padEnd(7)} `;
  const tail = ` ${String(Math.round(t.progress)).padStart(3)}%${t.message ? ` ${t.message}` : ""}`;
  // Cut the message, never the bar, so the line fits and redraws in place.
  const room = Math.max(0, columns - 1 - head.length - width);
  return `${t.type} ${status(style, t.status.padEnd(7))} ${paint(style, "cyan", bar)}${tail.slice(0, room)}`;
}

/** Where a terminal shows the progress line, a log gets one line per change. */
export const progressKey = (t: TaskView) => `${t.status} ${Math.round(t.progress)} ${t.message}`;
export const progressLogLine = (t: TaskView) => `${t.status} ${Math.round(t.progress)}%${t.message ? ` ${t.message}` : ""}\n`;

export function outcomeLine(style: Style, t: TaskView): string {
  const took = t.started_at && t.finished_at ? ` in ${((Date.parse(t.finished_at) - Date.parse(t.started_at)) / 1000).toFixed(2)} s` : "";
  const attempts = `${t.attempts} attempt${t.attempts === 1 ? "" : "s"}`;
  if (t.status === "SUCCESS") return `${paint(style, "green", "✓ SUCCESS")} ${t.task_id}${took} (${attempts})\n`;
  const error = t.error ? `: ${t.error.type}: ${t.error.message}` : "";
  return `${paint(style, "red", `✗ ${t.status}`)} ${t.task_id} after ${attempts}${error}\n`;
}

export function queueTable(style: Style, queues: QueueView[]): string {
  return table(
    ["QUEUE", "STATE", "PENDING", "STARTED", "RETRY", "DONE/MIN", "WAIT", "RUN", "RATE/S"],
    queues.map((q) => {
      const n = (k: "PENDING" | "STARTED" | "RETRY") => String(q.counts[k]);
      const seconds = (s: number | null) => (s === null ? "-" : `${s.toFixed(2)}s`);
      const state = q.state === "RUNNING" ? q.state : paint(style, "yellow", q.state);
      return [q.name, state, n("PENDING"), n("STARTED"), n("RETRY"), String(q.finished_last_minute), seconds(q.latency.mean_wait_seconds), seconds(q.latency.mean_run_seconds), String(q.rate_limits.max_dispatches_per_second)];
    }),
  );
}

export function scheduleTable(style: Style, schedules: ScheduleView[]): string {
  if (schedules.length === 0) return "no schedules\n";
  return table(
    ["NAME", "ORIGIN", "CRON", "TIME ZONE", "TASK", "STATE", "NEXT RUN", "LAST"],
    schedules.map((s) => [s.name, s.origin, s.cron, s.time_zone, s.task, s.state === "PAUSED" ? paint(style, "yellow", s.state) : s.state, s.next_run ?? "-", s.last_status ?? "-"]),
  );
}

export function groupDetails(style: Style, g: GroupView): string {
  const head = `${g.kind} ${g.group_id}: ${status(style, g.state)}, ${g.done}/${g.total} done (${g.succeeded} succeeded, ${g.failed} failed, ${g.revoked} revoked)${g.error ? `\n${paint(style, "red", g.error)}` : ""}\n`;
  const members = table(
    ["#", "TASK ID", "TYPE", "STATUS", "PROGRESS"],
    g.members.map((m) => [String(m.index), m.task_id, m.type ?? "-", status(style, m.status), m.progress === undefined ? "-" : `${Math.round(m.progress)}%`]),
  );
  const callback = g.callback ? `callback ${g.callback.task_id} ${g.callback.type} ${status(style, g.callback.status)}\n` : "";
  return head + members + callback + (g.next_offset !== null ? `more members from offset ${g.next_offset}\n` : "");
}

export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
