// The game API stand-in (Riot match-v5) through plain fetch: content, errors,
// Riot's rate limits and headers, and injected faults.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { startGameApiEmulator, type GameApiEmulator, type GameApiOptions } from "../../emulators/game-api/index.ts";
import { eventually } from "../helpers/eventually.ts";

const started: GameApiEmulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

/** Each test owns its emulator; content tests get limits they cannot hit. */
async function start(options: GameApiOptions = { appLimits: "1000:1,10000:120" }): Promise<GameApiEmulator> {
  const emulator = await startGameApiEmulator(options);
  started.push(emulator);
  return emulator;
}

function get(emulator: GameApiEmulator, path: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${emulator.url}${path}`, { headers: { "X-Riot-Token": emulator.token, ...headers }, ...(signal ? { signal } : {}) });
}

async function getJson<T = unknown>(emulator: GameApiEmulator, path: string, headers: Record<string, string> = {}): Promise<{ res: Response; text: string; body: T }> {
  const res = await get(emulator, path, headers);
  const text = await res.text();
  return { res, text, body: JSON.parse(text) as T };
}

const puuid = () => `test-${randomUUID()}`;
const MATCH_ID = /^[A-Z]{2,4}\d?_\d+$/;

interface Participant { puuid: string; participantId: number; teamId: number; kills: number; goldEarned: number; championName: string }
interface Match {
  metadata: { dataVersion: string; matchId: string; participants: string[] };
  info: { gameDuration: number; gameMode: string; mapId: number; platformId: string; participants: Participant[]; teams: { teamId: number; win: boolean }[] };
}
interface TimelineEvent { type: string; timestamp: number; [field: string]: unknown }
interface Timeline {
  metadata: { matchId: string; participants: string[] };
  info: { frameInterval: number; participants: { participantId: number; puuid: string }[];
    frames: { timestamp: number; events: TimelineEvent[]; participantFrames: Record<string, { totalGold: number; level: number; participantId: number }> }[] };
}

describe("match ids by puuid", () => {
  it("are deterministic, newest first, and honour start and count", async () => {
    const api = await start();
    const player = puuid();
    const first = await getJson<string[]>(api, `/americas/lol/match/v5/matches/by-puuid/${player}/ids?count=30`);
    const again = await getJson<string[]>(api, `/americas/lol/match/v5/matches/by-puuid/${player}/ids?count=30`);
    expect(first.res.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(first.body).toHaveLength(30);
    for (const id of first.body) expect(id).toMatch(MATCH_ID);
    const numbers = first.body.map((id) => Number(id.split("_")[1]));
    expect([...numbers].sort((a, b) => b - a)).toEqual(numbers);

    const page = await getJson<string[]>(api, `/americas/lol/match/v5/matches/by-puuid/${player}/ids?start=10&count=5`);
    expect(page.body).toEqual(first.body.slice(10, 15));
    const byDefault = await getJson<string[]>(api, `/americas/lol/match/v5/matches/by-puuid/${player}/ids`);
    expect(byDefault.body).toEqual(first.body.slice(0, 20));
    // Another emulator (another process, another day) gives the same history.
    const other = await start();
    expect((await getJson<string[]>(other, `/americas/lol/match/v5/matches/by-puuid/${player}/ids?count=30`)).text).toBe(first.text);
  });

  it("refuses a count above 100 with Riot's 400 body", async () => {
    const api = await start();
    const { res, body } = await getJson<{ status: { status_code: number; message: string } }>(api, `/americas/lol/match/v5/matches/by-puuid/${puuid()}/ids?count=101`);
    expect(res.status).toBe(400);
    expect(body.status.status_code).toBe(400);
    expect((await getJson<string[]>(api, `/americas/lol/match/v5/matches/by-puuid/${puuid()}/ids?count=100`)).body).toHaveLength(100);
  });

  it("prefixes ids with a platform of the path's region", async () => {
    const api = await start();
    const player = puuid();
    const platformOf = (ids: string[]) => new Set(ids.map((id) => id.split("_")[0]));
    const americas = await getJson<string[]>(api, `/americas/lol/match/v5/matches/by-puuid/${player}/ids`);
    expect(["NA1", "BR1", "LA1", "LA2"]).toContain([...platformOf(americas.body)][0]);
    expect(platformOf(americas.body).size).toBe(1);
    const europe = await getJson<string[]>(api, `/europe/lol/match/v5/matches/by-puuid/${player}/ids`);
    expect(["EUW1", "EUN1", "TR1", "RU", "ME1"]).toContain([...platformOf(europe.body)][0]);
    const asia = await getJson<string[]>(api, `/asia/lol/match/v5/matches/by-puuid/${player}/ids?count=3`);
    expect(["KR", "JP1"]).toContain([...platformOf(asia.body)][0]);
  });

  it("refuses the filters it does not implement with 501 naming the filter, rather than ignoring them", async () => {
    const api = await start();
    for (const filter of ["queue=420", "type=ranked", "startTime=1700000000", "endTime=1700000000"]) {
      const { res, body } = await getJson<{ status: { status_code: number; message: string } }>(api, `/americas/lol/match/v5/matches/by-puuid/${puuid()}/ids?${filter}`);
      expect(res.status, filter).toBe(501);
      expect(body.status.message).toContain(filter.split("=")[0]);
    }
  });
});

describe("match details and timeline", () => {
  it("details are deterministic, tens of KB, and shaped like a MatchDto", async () => {
    const api = await start();
    const [matchId] = (await getJson<string[]>(api, `/americas/lol/match/v5/matches/by-puuid/${puuid()}/ids?count=1`)).body as [string];
    const { res, text, body } = await getJson<Match>(api, `/americas/lol/match/v5/matches/${matchId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect((await getJson<Match>(await start(), `/americas/lol/match/v5/matches/${matchId}`)).text).toBe(text);
    expect(text.length).toBeGreaterThan(20_000);
    expect(text.length).toBeLessThan(150_000);
    expect(body.metadata).toMatchObject({ dataVersion: "2", matchId });
    expect(body.metadata.participants).toHaveLength(10);
    expect(body.info).toMatchObject({ gameMode: "CLASSIC", mapId: 11, platformId: matchId.split("_")[0] });
    expect(body.info.participants.map((p) => p.puuid)).toEqual(body.metadata.participants);
    for (const p of body.info.participants) expect(p).toMatchObject({ kills: expect.any(Number), goldEarned: expect.any(Number), championName: expect.any(String) });
    expect(body.info.teams.map((t) => t.teamId)).toEqual([100, 200]);
    expect(body.info.teams.filter((t) => t.win)).toHaveLength(1);
  });

  it("timeline is deterministic, a few hundred KB, and agrees with the details", async () => {
    const api = await start();
    const matchId = "EUW1_7312345678";
    const { res, text, body } = await getJson<Timeline>(api, `/europe/lol/match/v5/matches/${matchId}/timeline`);
    expect(res.status).toBe(200);
    expect((await getJson<Timeline>(api, `/europe/lol/match/v5/matches/${matchId}/timeline`)).text).toBe(text);
    expect(text.length).toBeGreaterThan(150_000);
    expect(text.length).toBeLessThan(1_500_000);
    const details = (await getJson<Match>(api, `/europe/lol/match/v5/matches/${matchId}`)).body;
    expect(body.metadata).toMatchObject({ matchId, participants: details.metadata.participants });
    expect(body.info.frameInterval).toBe(60_000);
    expect(body.info.participants.map((p) => p.puuid)).toEqual(details.metadata.participants);
    const frames = body.info.frames;
    expect(frames[0]?.timestamp).toBe(0);
    expect(Math.floor((frames.at(-1)?.timestamp ?? 0) / 1000)).toBe(details.info.gameDuration);
    for (const frame of frames) expect(Object.keys(frame.participantFrames).sort((a, b) => +a - +b)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    expect(frames.flatMap((f) => f.events).at(-1)).toMatchObject({ type: "GAME_END", winningTeam: details.info.teams.find((t) => t.win)?.teamId });
    for (const p of details.info.participants) expect(frames.at(-1)?.participantFrames[String(p.participantId)]?.totalGold).toBe(p.goldEarned);
  });
});

describe("errors", () => {
  it("answers 404 with Riot's body for an unknown match id, or one from another region", async () => {
    const api = await start();
    for (const path of ["/americas/lol/match/v5/matches/not-a-match", "/americas/lol/match/v5/matches/XX9_123/timeline", "/americas/lol/match/v5/matches/EUW1_7312345678"]) {
      const { res, body } = await getJson<{ status: { message: string; status_code: number } }>(api, path);
      expect(res.status, path).toBe(404);
      expect(body.status.status_code).toBe(404);
      expect(body.status.message).toEqual(expect.any(String));
    }
  });

  it("answers 401 without a token, 403 with a wrong one, and accepts api_key", async () => {
    const api = await start({ token: "RGAPI-right" });
    const path = "/americas/lol/match/v5/matches/NA1_5234567890";
    const none = await fetch(`${api.url}${path}`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ status: { message: "Unauthorized", status_code: 401 } });
    const wrong = await fetch(`${api.url}${path}`, { headers: { "X-Riot-Token": "RGAPI-wrong" } });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { status: { status_code: number } }).status.status_code).toBe(403);
    expect((await fetch(`${api.url}${path}?api_key=RGAPI-right`)).status).toBe(200);
    expect((await fetch(`${api.url}${path}`, { headers: { "X-Riot-Token": "RGAPI-right" } })).status).toBe(200);
  });

  it("answers 404 to a path that does not start with a routing value", async () => {
    const api = await start();
    for (const path of ["/lol/match/v5/matches/NA1_5234567890", "/mars/lol/match/v5/matches/NA1_5234567890"]) {
      expect((await get(api, path)).status, path).toBe(404);
    }
  });
});

describe("rate limits", () => {
  it("sends the limit headers on every response and counts per region and method", async () => {
    const api = await start({ appLimits: "100:10,1000:600", methodLimits: { getMatch: "50:10" } });
    const ids = (n: number) => get(api, `/americas/lol/match/v5/matches/by-puuid/p${n}/ids?count=1`);
    for (let n = 1; n <= 3; n++) {
      const res = await ids(n);
      expect(res.headers.get("x-app-rate-limit")).toBe("100:10,1000:600");
      expect(res.headers.get("x-app-rate-limit-count")).toBe(`${n}:10,${n}:600`);
      expect(res.headers.get("x-method-rate-limit")).toBe("2000:10");
      expect(res.headers.get("x-method-rate-limit-count")).toBe(`${n}:10`);
    }
    const match = await get(api, "/americas/lol/match/v5/matches/NA1_5234567890");
    expect(match.headers.get("x-app-rate-limit-count")).toBe("4:10,4:600");
    expect(match.headers.get("x-method-rate-limit")).toBe("50:10");
    expect(match.headers.get("x-method-rate-limit-count")).toBe("1:10");
    // Each region has its own application window.
    const europe = await get(api, "/europe/lol/match/v5/matches/by-puuid/p1/ids?count=1");
    expect(europe.headers.get("x-app-rate-limit-count")).toBe("1:10,1:600");
    // Refused requests carry the headers too, but never reached the counters.
    const refused = await fetch(`${api.url}/americas/lol/match/v5/matches/NA1_5234567890`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("x-app-rate-limit-count")).toBe("4:10,4:600");
  });

  it("answers 429 with Retry-After and X-Rate-Limit-Type past the application limit, then reopens", async () => {
    const api = await start({ appLimits: "3:1,100:120" });
    const responses = await Promise.all(Array.from({ length: 4 }, () => get(api, "/americas/lol/match/v5/matches/by-puuid/p/ids?count=1")));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 429]);
    const limited = responses.find((r) => r.status === 429);
    expect(limited?.headers.get("retry-after")).toBe("1");
    expect(limited?.headers.get("x-rate-limit-type")).toBe("application");
    expect(await limited?.json()).toEqual({ status: { message: "Rate limit exceeded", status_code: 429 } });
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await get(api, "/americas/lol/match/v5/matches/by-puuid/p/ids?count=1")).status).toBe(200);
  });

  it("applies the 120 s application window across bursts", async () => {
    const api = await start({ appLimits: "20:1,5:120" });
    const statuses = await Promise.all(Array.from({ length: 7 }, (_, i) => get(api, `/americas/lol/match/v5/matches/by-puuid/p${i}/ids?count=1`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    const refused = await get(api, "/americas/lol/match/v5/matches/by-puuid/p/ids?count=1");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(100);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(120);
  });

  it("answers 429 of type method past a method limit, leaving other methods alone", async () => {
    const api = await start({ appLimits: "100:10", methodLimits: { getMatch: "2:10" } });
    const match = () => get(api, "/americas/lol/match/v5/matches/NA1_5234567890");
    expect((await match()).status).toBe(200);
    expect((await match()).status).toBe(200);
    const limited = await match();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-rate-limit-type")).toBe("method");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(10);
    expect((await get(api, "/americas/lol/match/v5/matches/NA1_5234567890/timeline")).status).toBe(200);
  });

  it("only counts when enforceLimits is false", async () => {
    const api = await start({ appLimits: "2:10", enforceLimits: false });
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) last = await get(api, "/americas/lol/match/v5/matches/by-puuid/p/ids?count=1");
    expect(last?.status).toBe(200);
    expect(last?.headers.get("x-app-rate-limit-count")).toBe("4:10");
  });
});

describe("counters", () => {
  it("counts requests by path and time, and resets", async () => {
    const api = await start();
    await get(api, "/americas/lol/match/v5/matches/NA1_5234567890");
    await get(api, "/americas/lol/match/v5/matches/NA1_5234567890");
    await get(api, "/americas/lol/match/v5/matches/by-puuid/p/ids");
    await fetch(`${api.url}/americas/lol/match/v5/matches/NA1_5234567890`); // 401s count as requests too
    expect(api.requests()).toBe(4);
    expect(api.requestsByPath()).toEqual({ "/lol/match/v5/matches/NA1_5234567890": 3, "/lol/match/v5/matches/by-puuid/p/ids": 1 });
    const times = api.requestTimestamps();
    expect(times).toHaveLength(4);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(api.maxRequestsInWindow()).toBe(4);
    expect(api.maxRequestsInWindow(1)).toBeGreaterThanOrEqual(1);

    api.resetCounters();
    expect(api.requests()).toBe(0);
    expect(api.requestsByPath()).toEqual({});
    expect(api.maxRequestsInWindow()).toBe(0);
    const res = await get(api, "/americas/lol/match/v5/matches/by-puuid/p/ids");
    expect(res.headers.get("x-app-rate-limit-count")).toMatch(/^1:1,1:120$/);
  });
});

describe("injected faults", () => {
  const path = "/americas/lol/match/v5/matches/by-puuid/p/ids?count=1";

  it("429: exactly `times` times, with the given Retry-After and type, then normal", async () => {
    const api = await start();
    api.inject({ kind: "429", retryAfterSeconds: 7, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await get(api, path);
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("7");
      expect(res.headers.get("x-rate-limit-type")).toBe("application");
      expect(res.headers.get("x-app-rate-limit")).toBe("1000:1,10000:120");
    }
    expect((await get(api, path)).status).toBe(200);
    expect((await get(api, path)).status).toBe(200);
  });

  it("429 of type service comes without Retry-After unless one is given", async () => {
    const api = await start();
    api.inject({ kind: "429", rateLimitType: "service" });
    const res = await get(api, path);
    expect(res.status).toBe(429);
    expect(res.headers.get("x-rate-limit-type")).toBe("service");
    expect(res.headers.has("retry-after")).toBe(false);
  });

  it("5xx: the given status `times` times (503 by default), then normal", async () => {
    const api = await start();
    api.inject({ kind: "5xx", status: 500, times: 2 });
    api.inject({ kind: "5xx" });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(api, path)).status);
    expect(statuses).toEqual([500, 500, 503, 200, 200]);
  });

  it("reset: the connection drops `times` times, then normal", async () => {
    const api = await start();
    api.inject({ kind: "reset", times: 2 });
    await expect(get(api, path)).rejects.toThrow();
    await expect(get(api, path)).rejects.toThrow();
    expect((await get(api, path)).status).toBe(200);
    expect(api.requests()).toBe(3);
  });

  it("slow: holds `times` requests, not the ones after", async () => {
    const api = await start();
    api.inject({ kind: "slow", delayMs: 20_000, times: 1 });
    const abort = new AbortController();
    let settled = false;
    const held = get(api, path, {}, abort.signal).then(() => { settled = true; }, () => { settled = true; });
    await eventually(() => expect(api.requests()).toBe(1));
    expect((await get(api, path)).status).toBe(200);
    expect(settled).toBe(false);
    abort.abort();
    await held;
  });

  it("slow: answers normally once the delay has passed", async () => {
    const api = await start();
    api.inject({ kind: "slow", delayMs: 300 });
    const began = Date.now();
    const res = await get(api, path);
    expect(res.status).toBe(200);
    expect(Date.now() - began).toBeGreaterThanOrEqual(250);
  });

  it("scoped to one method, and cleared by clearFaults", async () => {
    const api = await start();
    api.inject({ kind: "5xx", method: "getTimeline", times: 5 });
    expect((await get(api, path)).status).toBe(200);
    expect((await get(api, "/americas/lol/match/v5/matches/NA1_5234567890")).status).toBe(200);
    expect((await get(api, "/americas/lol/match/v5/matches/NA1_5234567890/timeline")).status).toBe(503);
    api.clearFaults();
    expect((await get(api, "/americas/lol/match/v5/matches/NA1_5234567890/timeline")).status).toBe(200);
  });
});
