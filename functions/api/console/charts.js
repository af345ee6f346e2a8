// Throughput, failures and latency per queue over the last hour. The platform
// keeps cumulative outcome counters per queue (its stats hash), not a series per
// minute, so this page samples them with every overview and draws the minutes it
// has seen: the hour before the page was opened is not there.
import { h } from "./dom.js";

const STORE = "tasksConsoleSamples";
const HOUR = 3_600_000;
const MINUTE = 60_000;
const SVG = "http://www.w3.org/2000/svg";

const load = () => {
  try {
    return JSON.parse(sessionStorage.getItem(STORE) || "[]");
  } catch {
    return [];
  }
};

/** Keeps this overview's counters: [time, {queue: [succeeded, failed, mean run s]}]. */
export function record(overview) {
  const at = Date.parse(overview.at);
  const samples = load().filter(([t]) => t > at - HOUR - MINUTE);
  samples.push([at, Object.fromEntries(overview.queues.map((q) => [q.name, [q.counts.totals.SUCCESS, q.counts.totals.FAILURE, q.latency.mean_run_seconds]]))]);
  sessionStorage.setItem(STORE, JSON.stringify(samples.slice(-2000)));
  return samples;
}

/** Per queue, 60 one-minute buckets: successes, failures (differences of the counters) and the latest mean run time. */
export function series(samples, now) {
  const start = Math.floor((now - HOUR) / MINUTE) * MINUTE + MINUTE;
  const out = {};
  const empty = () => ({ ok: new Array(60).fill(0), failed: new Array(60).fill(0), run: new Array(60).fill(null) });
  // Every queue of the latest sample has a row, bars or not.
  for (const queue of Object.keys(samples.at(-1)?.[1] ?? {})) out[queue] = empty();
  for (let i = 1; i < samples.length; i++) {
    const [t0, before] = samples[i - 1];
    const [t1, after] = samples[i];
    const bucket = Math.floor((t1 - start) / MINUTE);
    if (bucket < 0 || bucket >= 60) continue;
    for (const [queue, [ok, failed, run]] of Object.entries(after)) {
      const q = (out[queue] ??= empty());
      const prev = before[queue];
      // A counter that went down was reset (a new deployment's Redis): count nothing for that step.
      if (prev && t1 > t0) {
        q.ok[bucket] += Math.max(0, ok - prev[0]);
        q.failed[bucket] += Math.max(0, failed - prev[1]);
      }
      if (run !== null) q.run[bucket] = run;
    }
  }
  return out;
}

function bars(values, color, label) {
  const max = Math.max(1e-9, ...values.map((v) => v ?? 0));
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 60 20");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  values.forEach((v, i) => {
    if (!v) return;
    const r = document.createElementNS(SVG, "rect");
    const height = (v / max) * 19;
    Object.entries({ x: i + 0.1, y: 20 - height, width: 0.8, height, fill: color }).forEach(([k, val]) => r.setAttribute(k, String(val)));
    svg.append(r);
  });
  return svg;
}

export function drawCharts(container, samples, now = Date.now()) {
  const perQueue = series(samples, now);
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const cell = (text, chart) => h("td", {}, h("div", { class: "chart-label" }, text), chart);
  container.replaceChildren(h("table", { class: "charts" },
    h("tr", {}, h("th", {}, "queue"), h("th", {}, "succeeded per minute"), h("th", {}, "failed per minute"), h("th", {}, "mean run time (recent tasks)")),
    Object.entries(perQueue).map(([queue, s]) => {
      const latest = [...s.run].reverse().find((v) => v !== null);
      return h("tr", { class: "chart", "data-queue": queue }, h("td", {}, queue),
        cell(`${sum(s.ok)} seen`, bars(s.ok, "#2da44e", `${queue} successes per minute`)),
        cell(`${sum(s.failed)} seen`, bars(s.failed, "#cf222e", `${queue} failures per minute`)),
        cell(latest === undefined || latest === null ? "–" : `${latest.toFixed(3)} s`, bars(s.run, "#0969da", `${queue} mean run seconds`)));
    })));
}

export const CHART_NOTE = "Per-minute bars from each queue's cumulative outcome counters, sampled by this page on every refresh while it is open (the platform keeps totals, not a per-minute series, so minutes before the page opened or while it was hidden are empty).";
