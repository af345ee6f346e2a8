// The summary the benchmark prints and writes to bench/RESULTS.md: one row per
// figure, with its target and whether it was met.
import os from "node:os";

export interface Figure {
  section: string;
  figure: string;
  value: string;
  /** What docs/architecture.md ("Performance targets") asks for, when it asks for something. */
  target?: string;
  /** undefined: no target, or not measured. */
  met?: boolean;
}

export interface SectionResult {
  figures: Figure[];
  /** What the numbers mean and what else was running. */
  notes: string[];
  /** The section's headline numbers, by the names bench/results.json gives them (bench/results-file.ts). */
  values?: Partial<BenchValues>;
}

/** The named numbers of bench/results.json; null: not measured (yet). */
export const benchValueNames = [
  "api_cpu_ms_per_submit", "worker_cpu_ms_per_task", "worker_cpu_ms_per_task_drain", "stack_cpu_ms_per_task", "e2e_tasks_per_s",
  "latency_p50_ms_platform", "latency_p50_ms_polled", "cold_start_bare_ms", "cold_start_first_submit_ms", "cold_start_first_delivery_ms",
  "upstash_requests_per_lifecycle", "upstash_requests_per_lifecycle_rate_limited", "redis_commands_per_lifecycle", "redis_commands_per_lifecycle_rate_limited",
  "upstash_requests_per_dashboard_refresh", "redis_index_entries_after_expiry", "redis_index_sweep_commands_per_task",
  "cost_usd_per_million_tasks", "cost_usd_per_million_tasks_fixed_plan",
] as const;
type BenchValueName = (typeof benchValueNames)[number];
export type BenchValues = Record<BenchValueName, number | null>;

export const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` : "n/a");
export const perSecond = (value: number) => `${Math.round(value).toLocaleString("en-US")}/s`;
export const times = (value: number) => `${value.toFixed(2)}×`;
export const count = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2));

const verdict = (figure: Figure) => (figure.met === undefined ? "" : figure.met ? "met" : "MISSED");

export function machine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function textTable(figures: Figure[]): string {
  const rows = [["section", "figure", "value", "target", ""], ...figures.map((f) => [f.section, f.figure, f.value, f.target ?? "", verdict(f)])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
  return [line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

export function markdown(options: { figures: Figure[]; notes: string[]; date: Date; command: string; seconds: number }): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  return [
    "# Benchmark results",
    "",
    `- date: ${options.date.toISOString()}`,
    `- machine: ${machine()}`,
    `- command: \`${options.command}\``,
    `- run time: ${options.seconds.toFixed(0)} s`,
    "",
    "| section | figure | value | target | |",
    "|---|---|---|---|---|",
    ...options.figures.map((f) => `| ${cell(f.section)} | ${cell(f.figure)} | ${cell(f.value)} | ${cell(f.target ?? "")} | ${verdict(f)} |`),
    "",
    "## Notes",
    "",
    ...options.notes.map((note) => `- ${note}`),
    "",
  ].join("\n");
}

/** Progress lines go to stderr, so stdout holds only the table. */
export const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
