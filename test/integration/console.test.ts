// The console in a real browser (Debian's chromium driven by playwright-core):
// an admin finds a failed task, reads its payload, error, traceback and attempts,
// retries it and sees SUCCESS; a read key sees no action; a hidden tab does not poll.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { apiClient } from "../helpers/api-client.ts";
import { eventually } from "../helpers/eventually.ts";
import { READ_ONLY_KEY } from "./global-setup.ts";

const stack = inject("stack");
const api = apiClient(stack.apiUrl, stack.apiKey);
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// CONSOLE_SCREENSHOTS=1 refreshes docs/console-*.png (the README shows them); otherwise they go to a temporary directory.
const SHOTS = process.env.CONSOLE_SCREENSHOTS ? new URL("../../docs/", import.meta.url) : pathToFileURL(`${mkdtempSync(path.join(tmpdir(), "console-"))}/`);
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  // Root in a container has no user namespaces for chromium's sandbox.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});

afterAll(async () => {
  await browser?.close();
});

/** A fresh tab on the console, signed in with `key`; every request it makes is recorded. */
async function openConsole(key: string, refreshMs = 500): Promise<{ page: Page; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  // A script error or a refused inline style (CSP) lands here too, and fails the check on what was loaded.
  page.on("pageerror", (error) => requests.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") requests.push(`console: ${message.text()}`);
  });
  await page.goto(`${stack.apiUrl}/?refresh_ms=${refreshMs}`);
  await page.fill("#key", key);
  await page.click("#key-form button[type=submit]");
  await page.locator("#queues td").first().waitFor();
  return { page, requests };
}

async function failedTask(note: string): Promise<string> {
  const submitted = await api.submit("testing.fail_once", { note });
  expect(submitted.status).toBe(202);
  await api.waitFor(submitted.body.task_id, "FAILURE");
  return submitted.body.task_id;
}

describe("console", () => {
  it("shows a failed task's detail to an admin, who retries it to SUCCESS", async () => {
    const id = await failedTask("console retry");
    const { page, requests } = await openConsole(stack.apiKey);
    await expect.poll(() => page.textContent("#who")).toContain("admin");
    await page.selectOption("#f-status", "FAILURE");
    await page.click("#filters button[type=submit]");
    await page.click(`tr[data-task="${id}"]`);

    await expect.poll(() => page.textContent("#detail-error")).toContain("NonRetryableError");
    expect(await page.textContent("#detail-error")).toContain("failing the first run on purpose");
    expect(await page.textContent("#detail-traceback")).toContain("fail-once.ts");
    expect(await page.textContent("#detail-payload")).toContain("console retry");
    expect(await page.textContent("#detail")).toMatch(/attempt 1 of \d+ started/);
    await page.screenshot({ path: new URL("console-failure.png", SHOTS).pathname, fullPage: true });

    await page.click('#detail button[data-action="retry"]');
    await expect.poll(() => page.textContent("#detail-status"), { timeout: 20_000 }).toBe("SUCCESS");
    expect(await page.textContent("#detail-result")).toContain('"runs": 2');
    expect((await api.status(id)).body.status).toBe("SUCCESS");
    await page.selectOption("#f-status", "");
    await page.click("#filters button[type=submit]");
    await page.screenshot({ path: new URL("console.png", SHOTS).pathname, fullPage: true });

    // Nothing outside the api is loaded, and the page threw and logged no error.
    expect(requests.filter((url) => !url.startsWith(stack.apiUrl))).toEqual([]);
    await page.context().close();
  });

  it("shows a read-scope key no action, where an admin key sees them", async () => {
    const id = await failedTask("console read key");
    const admin = await openConsole(stack.apiKey);
    await admin.page.click(`tr[data-task="${id}"]`);
    await admin.page.locator('#detail button[data-action="retry"]').waitFor();
    expect(await admin.page.locator("#queues button.action").count()).toBeGreaterThan(0);
    await admin.page.context().close();

    const reader = await openConsole(READ_ONLY_KEY);
    await expect.poll(() => reader.page.textContent("#who")).toContain("read");
    await reader.page.click(`tr[data-task="${id}"]`);
    await expect.poll(() => reader.page.textContent("#detail-error")).toContain("NonRetryableError");
    await reader.page.screenshot({ path: new URL("console-read-key.png", SHOTS).pathname, fullPage: true });
    expect(await reader.page.locator("button.action").count()).toBe(0);
    expect(await reader.page.isVisible("#f-tenant")).toBe(false);
    await reader.page.context().close();
  });

  it("refreshes with one overview request, and none while the tab is hidden", async () => {
    const { page, requests } = await openConsole(stack.apiKey, 300);
    const overviews = () => requests.filter((url) => url.includes("/v1/overview")).length;
    await expect.poll(overviews).toBeGreaterThan(2);
    const apiCalls = requests.filter((url) => url.includes("/v1/") && !url.includes("/v1/whoami"));
    expect(apiCalls.every((url) => url.includes("/v1/overview"))).toBe(true);

    const setHidden = (hidden: boolean) => page.evaluate((h) => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (h ? "hidden" : "visible") });
      Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
      document.dispatchEvent(new Event("visibilitychange"));
    }, hidden);
    await setHidden(true);
    await page.waitForTimeout(500); // a refresh already under way may still land
    const whileHidden = overviews();
    await page.waitForTimeout(1500);
    expect(overviews()).toBe(whileHidden);
    expect(await page.textContent("#live")).toContain("paused");

    await setHidden(false);
    await expect.poll(overviews, { timeout: 2000 }).toBeGreaterThan(whileHidden);
    await page.context().close();
  });

  it("retries every failure on the page with the bulk button", async () => {
    const ids = [await failedTask("bulk 1"), await failedTask("bulk 2")];
    const { page } = await openConsole(stack.apiKey);
    await page.selectOption("#f-status", "FAILURE");
    await page.fill("#f-type", "testing.fail_once");
    await page.click("#filters button[type=submit]");
    await page.locator(`tr[data-task="${ids[1]}"]`).waitFor();
    await page.click('#bulk button[data-action="bulk-retry"]');
    for (const id of ids) await api.waitFor(id, "SUCCESS");
    await page.context().close();
  });

  it("shows a chain's members from a member's detail", async () => {
    const submitted = await api.call<{ group_id: string }>("POST", "/v1/groups", { kind: "chain", tasks: [{ type: "testing.add", payload: { value: 1, add: 2 } }, { type: "testing.add", payload: { add: 3 } }] });
    expect(submitted.status).toBe(202);
    const group = await eventually(async () => {
      const answer = await api.call<{ state: string; members: { task_id: string }[] }>("GET", `/v1/groups/${submitted.body.group_id}`);
      if (answer.body.state !== "SUCCESS") throw new Error(`group is ${answer.body.state}`);
      return answer.body;
    }, { timeoutMs: 20_000 });
    const [first, second] = group.members.map((m) => m.task_id);

    const { page } = await openConsole(stack.apiKey);
    await page.fill("#f-type", "testing.add");
    await page.click("#filters button[type=submit]");
    await page.click(`tr[data-task="${first}"]`);
    await page.click(`#detail a[href="#group/${submitted.body.group_id}"]`);
    await expect.poll(() => page.textContent("#group-id")).toContain("chain");
    const members = await page.locator("#group-members tr").allTextContents();
    expect(members.slice(1)).toEqual([expect.stringContaining(first!), expect.stringContaining(second!)]);
    expect(members.slice(1).every((row) => row.includes("SUCCESS"))).toBe(true);
    await page.context().close();
  });

  it("detail: sensitive fields masked, the traceback there and nowhere else", async () => {
    const { body } = await api.submit("notify.query_result", {
      user_id: "u1", conversation_id: "c1", message_id: "m1", query: "secret question", answer: "secret answer", tokens_used: 1, processing_time_ms: 1,
    });
    await api.waitFor(body.task_id, "SUCCESS");
    const detail = await api.call<{ payload: Record<string, unknown> }>("GET", `/v1/tasks/${body.task_id}/detail`);
    expect(detail.status).toBe(200);
    expect(detail.body.payload).toMatchObject({ user_id: "u1", query: "•••• (sensitive)", answer: "•••• (sensitive)" });
    expect(JSON.stringify(detail.body)).not.toContain("secret");

    const failed = await failedTask("no traceback outside");
    const view = await api.status(failed);
    expect(view.body.error).toEqual({ type: "NonRetryableError", message: "failing the first run on purpose; retry me" });
    const full = await api.call<{ error: { traceback: string } }>("GET", `/v1/tasks/${failed}/detail`);
    expect(full.body.error.traceback).toContain("fail-once.ts");
    const reader = apiClient(stack.apiUrl, READ_ONLY_KEY);
    expect((await reader.call("GET", "/v1/whoami")).body).toEqual({ name: "reader", tenant: "dev", scopes: ["read"] });
  });

  it("costs few Upstash requests per overview (printed, not asserted)", async () => {
    const bridge = (path: string, method = "GET") => fetch(`${stack.bridgeUrl}/__stats${path}`, { method }).then((r) => r.json() as Promise<{ requests: number; commands: number }>);
    const costs: { requests: number; commands: number }[] = [];
    for (let i = 0; i < 3; i++) {
      await bridge("/reset", "POST");
      const answer = await api.call("GET", "/v1/overview");
      expect(answer.status).toBe(200);
      costs.push(await bridge(""));
    }
    const best = costs.reduce((a, b) => (b.requests < a.requests ? b : a));
    console.log(`GET /v1/overview: ${best.requests} Upstash requests, ${best.commands} commands (fewest of 3; background heartbeats may add to the others)`);
    expect(best.requests).toBeGreaterThan(0);
  });
});
