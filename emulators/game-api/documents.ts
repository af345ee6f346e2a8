// The three documents match-v5 serves, made up deterministically: each is a
// pure function of the PUUID or match id, so the same request always gets the
// same bytes. Shapes follow Riot's MatchDto and TimelineDto and their sizes are
// about the real ones (tens of KB, a few hundred KB), because the platform only
// stores them; no game is simulated, so the numbers in them tell no story.
import { createHash } from "node:crypto";
import { platformsByRouting, type RoutingValue } from "./routes.ts";

const digest = (key: string) => createHash("sha256").update(key).digest();

/** A deterministic integer in [min, max] for `key`. */
const roll = (key: string, min: number, max: number) => min + (digest(key).readUInt32BE(0) % (max - min + 1));

/** A 78-character base64url string, the length and alphabet of a real PUUID. */
const puuidOf = (key: string) => (digest(`${key}:a`).toString("base64url") + digest(`${key}:b`).toString("base64url")).slice(0, 78);

/** Game ids grow with time: one id per 100 ms from 2020, so a history sorted by id is sorted by time. */
const gameCreationOf = (gameId: number) => Date.UTC(2020, 0, 1) + (gameId % 1_000_000_000) * 100;

/** The PUUID's history in one region, newest first: 100 to 499 games on one platform, `start` and `count` applied. */
export function matchHistory(puuid: string, routing: RoutingValue, start: number, count: number): string[] {
  const platforms = platformsByRouting[routing];
  const platform = platforms[roll(`platform:${puuid}`, 0, platforms.length - 1)] as string;
  const end = Math.min(roll(`length:${puuid}`, 100, 499), start + count);
  let gameId = 7_000_000_000 + roll(`newest:${puuid}`, 0, 99_999_999);
  const ids: string[] = [];
  for (let i = 0; i < end; i++) {
    if (i >= start) ids.push(`${platform}_${gameId}`);
    gameId -= roll(`${puuid}:${i}`, 30_000, 500_000);
  }
  return ids;
}

// A sample of the numeric fields Riot reports per participant and per frame.
const PARTICIPANT_STATS = ["assists", "baronKills", "champExperience", "damageDealtToBuildings", "damageDealtToObjectives", "damageDealtToTurrets",
  "damageSelfMitigated", "deaths", "detectorWardsPlaced", "doubleKills", "dragonKills", "goldSpent", "inhibitorKills", "item0", "item1", "item2",
  "item3", "item4", "item5", "item6", "kills", "largestCriticalStrike", "largestKillingSpree", "largestMultiKill", "longestTimeSpentLiving",
  "magicDamageDealt", "magicDamageDealtToChampions", "magicDamageTaken", "neutralMinionsKilled", "physicalDamageDealt",
  "physicalDamageDealtToChampions", "physicalDamageTaken", "spell1Casts", "spell2Casts", "spell3Casts", "spell4Casts", "summoner1Id",
  "summoner2Id", "timeCCingOthers", "totalDamageDealt", "totalDamageDealtToChampions", "totalDamageTaken", "totalHeal", "totalMinionsKilled",
  "totalTimeSpentDead", "trueDamageDealt", "trueDamageTaken", "turretKills", "visionScore", "wardsKilled", "wardsPlaced"] as const;
const CHALLENGES = Array.from({ length: 60 }, (_, i) => `challenge${i}`);
const CHAMPION_STATS = ["abilityHaste", "abilityPower", "armor", "armorPen", "attackDamage", "attackSpeed", "bonusArmorPenPercent",
  "ccReduction", "cooldownReduction", "health", "healthMax", "healthRegen", "lifesteal", "magicPen", "magicResist", "movementSpeed",
  "omnivamp", "physicalVamp", "power", "powerMax", "powerRegen", "spellVamp"] as const;
const DAMAGE_STATS = ["magicDamageDone", "magicDamageDoneToChampions", "magicDamageTaken", "physicalDamageDone",
  "physicalDamageDoneToChampions", "physicalDamageTaken", "totalDamageDone", "totalDamageDoneToChampions", "totalDamageTaken",
  "trueDamageDone", "trueDamageDoneToChampions", "trueDamageTaken"] as const;

const stats = (key: string, names: readonly string[], max: number) => Object.fromEntries(names.map((name) => [name, roll(`${key}:${name}`, 0, max)]));

const goldOf = (matchId: string, participantId: number) => roll(`${matchId}:${participantId}:gold`, 8_000, 20_000);

/** What both documents of a match agree on. */
function game(matchId: string) {
  const gameId = Number(matchId.split("_")[1]);
  const gameCreation = gameCreationOf(gameId);
  const durationSeconds = roll(`${matchId}:duration`, 1_200, 2_400);
  const winner = roll(`${matchId}:winner`, 0, 1) === 0 ? 100 : 200;
  const seats = Array.from({ length: 10 }, (_, i) => ({ participantId: i + 1, puuid: puuidOf(`${matchId}:${i}`), teamId: i < 5 ? 100 : 200 }));
  const metadata = { dataVersion: "2", matchId, participants: seats.map((s) => s.puuid) };
  return { gameId, gameCreation, durationSeconds, winner, seats, metadata, gameStart: gameCreation + 60_000 };
}

export function matchDto(matchId: string) {
  const g = game(matchId);
  return {
    metadata: g.metadata,
    info: {
      endOfGameResult: "GameComplete", gameCreation: g.gameCreation, gameDuration: g.durationSeconds, gameEndTimestamp: g.gameStart + g.durationSeconds * 1000,
      gameId: g.gameId, gameMode: "CLASSIC", gameStartTimestamp: g.gameStart, gameType: "MATCHED_GAME", gameVersion: "14.23.636.4567", mapId: 11,
      participants: g.seats.map((seat) => ({
        ...seat,
        ...stats(`${matchId}:${seat.participantId}`, PARTICIPANT_STATS, 30_000),
        championName: `Champion${roll(`${matchId}:${seat.participantId}:champion`, 1, 170)}`,
        champLevel: 18, goldEarned: goldOf(matchId, seat.participantId), win: seat.teamId === g.winner,
        challenges: stats(`${matchId}:${seat.participantId}:challenges`, CHALLENGES, 100),
      })),
      platformId: matchId.split("_")[0], queueId: 420,
      teams: [100, 200].map((teamId) => ({ bans: [], objectives: {}, teamId, win: teamId === g.winner })),
    },
  };
}

export function timelineDto(matchId: string) {
  const g = game(matchId);
  const endMs = g.durationSeconds * 1000;
  const times = Array.from({ length: Math.ceil(endMs / 60_000) }, (_, i) => i * 60_000).concat(endMs);
  const frames = times.map((timestamp, frame) => ({
    events: frame === times.length - 1
      ? [{ gameId: g.gameId, realTimestamp: g.gameStart + endMs, timestamp, type: "GAME_END", winningTeam: g.winner }]
      : g.seats.map((s) => ({ itemId: roll(`${matchId}:${frame}:${s.participantId}:item`, 1001, 8020), participantId: s.participantId, timestamp, type: "ITEM_PURCHASED" })),
    participantFrames: Object.fromEntries(g.seats.map((s) => {
      const key = `${matchId}:${frame}:${s.participantId}`;
      return [String(s.participantId), {
        championStats: stats(`${key}:champion`, CHAMPION_STATS, 3_000), damageStats: stats(`${key}:damage`, DAMAGE_STATS, 50_000),
        level: Math.min(18, 1 + Math.floor((17 * timestamp) / endMs)), participantId: s.participantId, position: { x: roll(`${key}:x`, 0, 14_800), y: roll(`${key}:y`, 0, 14_800) },
        totalGold: Math.round((goldOf(matchId, s.participantId) * timestamp) / endMs), xp: roll(`${key}:xp`, 0, 20_000),
      }];
    })),
    timestamp,
  }));
  return {
    metadata: g.metadata,
    info: { endOfGameResult: "GameComplete", frameInterval: 60_000, frames, gameId: g.gameId, participants: g.seats.map(({ participantId, puuid }) => ({ participantId, puuid })) },
  };
}
