// bench/results.json: the run's headline figures as named numbers (one per figure of the
// performance table), with the machine and the date, for scripts and for comparing runs.
// The markdown report (bench/RESULTS.md) keeps the detail and the notes.
import os from "node:os";
import { benchValueNames, type BenchValues, type SectionResult } from "./report.ts";

export interface ResultsFile {
  date: string;
  command: string;
  machine: { cores: number; cpu: string; memory_gib: number; node: string; os: string; load_average_before: number[] };
  /** BENCH_SCALE: every count of the run was multiplied by it. */
  scale: number;
  figures: BenchValues;
  /** Where a figure's price comes from (cost_usd_*). */
  assumptions: Record<string, string | number>;
}

export function resultsFile(options: { results: SectionResult[]; command: string; scale: number; loadBefore: number[]; date: Date; assumptions: Record<string, string | number> }): ResultsFile {
  const figures = Object.fromEntries(benchValueNames.map((name) => [name, null])) as BenchValues;
  for (const result of options.results) {
    for (const [name, value] of Object.entries(result.values ?? {})) {
      figures[name as keyof BenchValues] = value === null || value === undefined || !Number.isFinite(value) ? null : round(value);
    }
  }
  return {
    date: options.date.toISOString(),
    command: options.command,
    machine: {
      cores: os.cpus().length, cpu: os.cpus()[0]?.model.trim() ?? "unknown", memory_gib: round(os.totalmem() / 2 ** 30),
      node: process.version, os: `${os.platform()} ${os.release()}`, load_average_before: options.loadBefore,
    },
    scale: options.scale,
    figures,
    assumptions: options.assumptions,
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;
