// One simulated game, the single source both the match details and the timeline
// are written from, so kills, gold, items and objectives agree between them.
import { allChampions, championsByPosition, gameNames, gameVersions, Position, secondSpellsByPosition, SummonerSpell, type Champion } from "./catalog.ts";
import { queueOfMatch } from "./match-ids.ts";
import { gameCreationOf, type MatchIdParts } from "./routing.ts";
import { hashString, seededRandom, syntheticPuuid, type Random } from "./seeded-random.ts";
import { simulateBuild, type ItemBuild } from "./sim-items.ts";
import { simulateObjectives, type Objective, type TeamId } from "./sim-objectives.ts";

export interface SimParticipant {
  participantId: number;
  puuid: string;
  teamId: TeamId;
  position: Position;
  champion: Champion;
  summoner1Id: number;
  summoner2Id: number;
  riotIdGameName: string;
  riotIdTagline: string;
  summonerLevel: number;
  profileIcon: number;
  /** Share of physical damage in what this champion deals. */
  physicalShare: number;
}

export interface SimKill {
  timestamp: number;
  killerId: number;
  victimId: number;
  assistIds: number[];
  position: { x: number; y: number };
  killStreakLength: number;
  shutdownBounty: number;
}

/** End-of-game totals per participant that both documents report. */
export interface SimTotals {
  kills: number;
  deaths: number;
  assists: number;
  goldEarned: number;
  goldSpent: number;
  laneMinions: number;
  jungleMinions: number;
  champExperience: number;
  champLevel: number;
  damageToChampions: { physical: number; magic: number; true: number };
  damageDealt: { physical: number; magic: number; true: number };
  damageTaken: { physical: number; magic: number; true: number };
  wardsPlaced: number;
  wardsKilled: number;
  build: ItemBuild;
}

export interface SimGame {
  matchId: string;
  platformId: string;
  gameId: number;
  queueId: number;
  gameVersion: string;
  gameCreation: number;
  gameStartTimestamp: number;
  durationMs: number;
  winner: TeamId;
  surrendered: boolean;
  participants: SimParticipant[];
  bans: { teamId: TeamId; championId: number; pickTurn: number }[];
  kills: SimKill[];
  objectives: Objective[];
  totals: SimTotals[];
}

const MINUTE = 60_000;

/** Total experience needed to reach each level (index 1 = level 1 = 0 xp). */
export const xpForLevel: readonly number[] = Array.from({ length: 19 }, (_, level) => {
  let total = 0;
  for (let k = 2; k <= level; k++) total += 180 + 100 * (k - 1);
  return total;
});

export function levelFromXp(xp: number): number {
  let level = 1;
  while (level < 18 && xp >= (xpForLevel[level + 1] as number)) level++;
  return level;
}

/** Places the players that listed this match in their history among its participants. */
function seatPuuids(matchId: string, owners: readonly string[]): string[] {
  const seats = Array.from({ length: 10 }, (_, i) => syntheticPuuid(`${matchId}:${i}`));
  const taken = new Set<number>();
  for (const owner of [...new Set(owners)].sort().slice(0, 10)) {
    let seat = hashString(`${matchId}:${owner}`) % 10;
    while (taken.has(seat)) seat = (seat + 1) % 10;
    taken.add(seat);
    seats[seat] = owner;
  }
  return seats;
}

function simulateParticipants(random: Random, puuids: string[]): SimParticipant[] {
  const picked = new Set<number>();
  return puuids.map((puuid, i) => {
    const position = Position[i % 5] as Position;
    const champion = random.pick(championsByPosition[position].filter((c) => !picked.has(c.id)));
    picked.add(champion.id);
    const second = random.pick(secondSpellsByPosition[position]);
    const flashOnD = random.chance(0.7);
    return {
      participantId: i + 1,
      puuid,
      teamId: i < 5 ? 100 : 200,
      position,
      champion,
      summoner1Id: flashOnD ? SummonerSpell.flash : second,
      summoner2Id: flashOnD ? second : SummonerSpell.flash,
      riotIdGameName: `${random.pick(gameNames)}${random.int(1, 999)}`,
      riotIdTagline: random.pick(["NA1", "EUW", "KR1", "0001", "GG", "LoL"]),
      summonerLevel: random.int(30, 650),
      profileIcon: random.int(1, 6000),
      physicalShare: position === "BOTTOM" ? 0.7 + random.next() * 0.25 : 0.15 + random.next() * 0.7,
    };
  });
}

/** Who killed whom and when: the winners take about three kills in five. */
function simulateKills(random: Random, participants: SimParticipant[], durationMs: number, winner: TeamId): SimKill[] {
  const count = Math.round((durationMs / MINUTE) * (0.7 + random.next() * 0.8));
  const killWeight: Record<Position, number> = { TOP: 3, JUNGLE: 3, MIDDLE: 4, BOTTOM: 5, UTILITY: 1 };
  const times = Array.from({ length: count }, () => random.int(2 * MINUTE, durationMs - 5_000)).sort((a, b) => a - b);
  const streak = new Map<number, number>();
  return times.map((timestamp) => {
    const killerTeam: TeamId = random.chance(0.6) ? winner : winner === 100 ? 200 : 100;
    const allies = participants.filter((p) => p.teamId === killerTeam);
    const enemies = participants.filter((p) => p.teamId !== killerTeam);
    const killer = allies[random.weighted(allies.map((p) => killWeight[p.position]))] as SimParticipant;
    const victim = random.pick(enemies);
    const assistIds = allies.filter((p) => p !== killer && random.chance(0.45)).map((p) => p.participantId);
    const victimStreak = streak.get(victim.participantId) ?? 0;
    streak.set(victim.participantId, 0);
    streak.set(killer.participantId, (streak.get(killer.participantId) ?? 0) + 1);
    return {
      timestamp,
      killerId: killer.participantId,
      victimId: victim.participantId,
      assistIds,
      position: { x: random.int(500, 14_300), y: random.int(500, 14_300) },
      killStreakLength: streak.get(killer.participantId) as number,
      shutdownBounty: victimStreak >= 3 ? Math.min(1000, 150 * (victimStreak - 1)) : 0,
    };
  });
}

const perMinute: Record<Position, { gold: number; lane: number; jungle: number; dmg: number; taken: number; wards: number }> = {
  TOP: { gold: 380, lane: 7, jungle: 0.3, dmg: 750, taken: 1100, wards: 0.35 },
  JUNGLE: { gold: 360, lane: 1, jungle: 5.5, dmg: 580, taken: 1150, wards: 0.4 },
  MIDDLE: { gold: 390, lane: 7.5, jungle: 0.4, dmg: 900, taken: 700, wards: 0.4 },
  BOTTOM: { gold: 410, lane: 8, jungle: 0.3, dmg: 950, taken: 600, wards: 0.4 },
  UTILITY: { gold: 250, lane: 1, jungle: 0, dmg: 380, taken: 650, wards: 1.4 },
};

function simulateTotals(random: Random, game: Omit<SimGame, "totals">): SimTotals[] {
  const minutes = game.durationMs / MINUTE;
  const split = (total: number, physical: number) => {
    const trueDamage = Math.round(total * random.next() * 0.08);
    const physicalDamage = Math.round((total - trueDamage) * physical);
    return { physical: physicalDamage, magic: total - trueDamage - physicalDamage, true: trueDamage };
  };
  return game.participants.map((p) => {
    const rate = perMinute[p.position];
    const vary = () => 0.8 + random.next() * 0.4;
    const kills = game.kills.filter((k) => k.killerId === p.participantId).length;
    const deaths = game.kills.filter((k) => k.victimId === p.participantId).length;
    const assists = game.kills.filter((k) => k.assistIds.includes(p.participantId)).length;
    const goldEarned = Math.round(500 + minutes * rate.gold * vary() + kills * 300 + assists * 110 + (p.teamId === game.winner ? 900 : 0));
    const goldSpent = Math.round(goldEarned * (0.85 + random.next() * 0.12));
    const xpShare = p.position === "UTILITY" ? 0.75 : p.position === "JUNGLE" ? 0.9 : 1;
    const champExperience = Math.min(xpForLevel[18] as number, Math.round(minutes * 470 * xpShare * vary()));
    const toChampions = Math.round(minutes * rate.dmg * vary() + kills * 400);
    return {
      kills, deaths, assists, goldEarned, goldSpent,
      laneMinions: Math.round(minutes * rate.lane * vary()),
      jungleMinions: Math.round(minutes * rate.jungle * vary()),
      champExperience,
      champLevel: levelFromXp(champExperience),
      damageToChampions: split(toChampions, p.physicalShare),
      damageDealt: split(toChampions * (p.position === "UTILITY" ? 2 : p.position === "JUNGLE" ? 9 : 6) + random.int(0, 20_000), p.physicalShare),
      damageTaken: split(Math.round(minutes * rate.taken * vary() + deaths * 900), 0.55),
      wardsPlaced: Math.round(minutes * rate.wards * vary()),
      wardsKilled: Math.round(minutes * rate.wards * 0.4 * vary()),
      build: simulateBuild(random, p.position, goldSpent, game.durationMs),
    };
  });
}

/**
 * The whole game behind `matchId`. `owners` are the PUUIDs whose listed history
 * contained it: they take seats so a client finds itself among the participants.
 */
export function simulateMatch(matchId: string, parts: MatchIdParts, owners: readonly string[] = []): SimGame {
  const random = seededRandom(`${matchId}:game`);
  const durationMs = random.int(1_500, 2_300) * 1000 + random.int(0, 999);
  const winner: TeamId = random.chance(0.5) ? 100 : 200;
  const participants = simulateParticipants(seededRandom(`${matchId}:lobby`), seatPuuids(matchId, owners));
  const banPool = allChampions.filter((c) => !participants.some((p) => p.champion.id === c.id));
  const bans = random.sample(banPool, 10).map((c, i) => ({ teamId: (i % 2 === 0 ? 100 : 200) as TeamId, championId: c.id, pickTurn: i + 1 }));
  const gameCreation = gameCreationOf(parts);
  const base = {
    matchId,
    platformId: parts.platformId,
    gameId: parts.gameId,
    queueId: queueOfMatch(matchId).queueId,
    gameVersion: gameVersions[hashString(matchId) % gameVersions.length] as string,
    gameCreation,
    gameStartTimestamp: gameCreation + random.int(15_000, 60_000),
    durationMs,
    winner,
    surrendered: random.chance(0.3),
    participants,
    bans,
    kills: simulateKills(seededRandom(`${matchId}:kills`), participants, durationMs, winner),
    objectives: simulateObjectives(seededRandom(`${matchId}:objectives`), durationMs, winner),
  };
  return { ...base, totals: simulateTotals(seededRandom(`${matchId}:totals`), base) };
}
