// Building the page from data with DOM calls only: every value lands as text, never as markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export const byId = (id) => document.getElementById(id);

export function fill(id, ...nodes) {
  const el = byId(id);
  el.replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false));
  return el;
}

/** A table: a header row, then rows (each an array of cells, or a <tr> already built). */
export function table(id, head, rows, empty = "nothing yet") {
  const body = rows.length ? rows.map((r) => (r instanceof Node ? r : h("tr", {}, r.map((c) => h("td", {}, c))))) : [h("tr", {}, h("td", { class: "muted", colspan: head.length }, empty))];
  return fill(id, h("tr", {}, head.map((title) => h("th", {}, title))), body);
}

export const status = (s) => h("span", { class: s }, s ?? "");
export const seconds = (v) => (v === null || v === undefined ? "–" : v.toFixed(3));

/** "12s ago" from an ISO time; the time itself in the tooltip. */
export function ago(iso) {
  if (!iso) return "–";
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  const text = Math.abs(s) < 90 ? `${s}s` : Math.abs(s) < 5400 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
  return h("span", { title: iso }, s >= 0 ? `${text} ago` : `in ${text.replace("-", "")}`);
}

export const json = (value) => h("pre", {}, value === undefined || value === null ? "null" : JSON.stringify(value, null, 2));
