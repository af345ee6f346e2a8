// The same HTTP API a client uses, with the key typed into this tab (sessionStorage only).
const KEY = "tasksConsoleKey";

export const savedKey = () => sessionStorage.getItem(KEY) || "";
export const saveKey = (key) => (key ? sessionStorage.setItem(KEY, key) : sessionStorage.removeItem(KEY));

export async function call(method, path, body) {
  const headers = { "X-API-Key": savedKey() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let answer = null;
  try {
    answer = text ? JSON.parse(text) : null;
  } catch {
    answer = null;
  }
  if (!res.ok) throw new Error(answer?.error?.message || `${method} ${path}: HTTP ${res.status}`);
  return answer;
}

const RANK = ["read", "submit", "admin"];
/** admin implies submit implies read, as the api checks. */
export const allows = (scopes, needed) => (scopes ?? []).some((s) => RANK.indexOf(s) >= RANK.indexOf(needed));
