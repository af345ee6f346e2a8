// The events of a match-v5 timeline (kills, objectives, buildings, items, levels,
// wards), written from the simulated game so they agree with the match details.
import type { SimGame, SimKill, SimParticipant, SimTotals } from "./match-sim.ts";
import type { Random } from "./seeded-random.ts";
import type { BuildingKill, MonsterKill, TeamId } from "./sim-objectives.ts";
import { levelUpTimes } from "./timeline-frames.ts";

export interface TimelineEvent {
  timestamp: number;
  type: string;
  [field: string]: unknown;
}

const pit = { DRAGON: { x: 9866, y: 4414 }, BARON_NASHOR: { x: 5007, y: 10471 }, RIFTHERALD: { x: 5007, y: 10471 }, HORDE: { x: 5007, y: 10471 } };

/** Where each team's buildings stand on Summoner's Rift. */
const buildingAt: Record<TeamId, Record<string, { x: number; y: number }>> = {
  100: {
    "TOP_LANE:OUTER_TURRET": { x: 981, y: 10441 }, "TOP_LANE:INNER_TURRET": { x: 1512, y: 6699 }, "TOP_LANE:BASE_TURRET": { x: 1169, y: 4287 },
    "MID_LANE:OUTER_TURRET": { x: 5846, y: 6396 }, "MID_LANE:INNER_TURRET": { x: 5048, y: 4812 }, "MID_LANE:BASE_TURRET": { x: 3651, y: 3696 },
    "BOT_LANE:OUTER_TURRET": { x: 10504, y: 1029 }, "BOT_LANE:INNER_TURRET": { x: 6919, y: 1483 }, "BOT_LANE:BASE_TURRET": { x: 4281, y: 1253 },
    "MID_LANE:NEXUS_TURRET": { x: 1748, y: 2270 },
    "TOP_LANE:INHIBITOR": { x: 1171, y: 3571 }, "MID_LANE:INHIBITOR": { x: 3203, y: 3208 }, "BOT_LANE:INHIBITOR": { x: 3452, y: 1236 },
  },
  200: {
    "TOP_LANE:OUTER_TURRET": { x: 4318, y: 13875 }, "TOP_LANE:INNER_TURRET": { x: 7943, y: 13411 }, "TOP_LANE:BASE_TURRET": { x: 10481, y: 13650 },
    "MID_LANE:OUTER_TURRET": { x: 8955, y: 8510 }, "MID_LANE:INNER_TURRET": { x: 9767, y: 10113 }, "MID_LANE:BASE_TURRET": { x: 11134, y: 11207 },
    "BOT_LANE:OUTER_TURRET": { x: 13866, y: 4505 }, "BOT_LANE:INNER_TURRET": { x: 13327, y: 8226 }, "BOT_LANE:BASE_TURRET": { x: 13624, y: 10572 },
    "MID_LANE:NEXUS_TURRET": { x: 12611, y: 13084 },
    "TOP_LANE:INHIBITOR": { x: 11261, y: 13676 }, "MID_LANE:INHIBITOR": { x: 11598, y: 11667 }, "BOT_LANE:INHIBITOR": { x: 13604, y: 11316 },
  },
};

const other = (team: TeamId): TeamId => (team === 100 ? 200 : 100);

function damageEntries(random: Random, from: SimParticipant[]) {
  return from.flatMap((p) =>
    Array.from({ length: random.int(1, 3) }, () => {
      const slot = random.int(0, 5);
      const basic = random.chance(0.3);
      return {
        basic,
        magicDamage: p.physicalShare > 0.5 ? random.int(0, 150) : random.int(50, 900),
        name: p.champion.name,
        participantId: p.participantId,
        physicalDamage: p.physicalShare > 0.5 ? random.int(50, 900) : random.int(0, 150),
        spellName: basic ? `${p.champion.name.toLowerCase()}basicattack` : slot >= 4 ? "summonerdot" : `${p.champion.name.toLowerCase()}${"qwer"[slot]}`,
        spellSlot: basic ? 64 : slot,
        trueDamage: random.int(0, 60),
        type: "OTHER",
      };
    }),
  );
}

function killEvents(random: Random, game: SimGame, kill: SimKill, first: boolean): TimelineEvent[] {
  const byId = (id: number) => game.participants[id - 1] as SimParticipant;
  const killer = byId(kill.killerId);
  const victim = byId(kill.victimId);
  const events: TimelineEvent[] = [{
    ...(kill.assistIds.length > 0 ? { assistingParticipantIds: kill.assistIds } : {}),
    bounty: 300,
    killStreakLength: kill.killStreakLength,
    killerId: kill.killerId,
    position: kill.position,
    shutdownBounty: kill.shutdownBounty,
    timestamp: kill.timestamp,
    type: "CHAMPION_KILL",
    victimDamageDealt: damageEntries(random, [victim]),
    victimDamageReceived: damageEntries(random, [killer, ...kill.assistIds.map(byId)]),
    victimId: kill.victimId,
  }];
  if (first) {
    events.push({ killType: "KILL_FIRST_BLOOD", killerId: kill.killerId, position: kill.position, timestamp: kill.timestamp, type: "CHAMPION_SPECIAL_KILL" });
  }
  return events;
}

function monsterEvent(random: Random, game: SimGame, o: MonsterKill): TimelineEvent {
  const team = game.participants.filter((p) => p.teamId === o.teamId);
  const jungler = team.find((p) => p.position === "JUNGLE") as SimParticipant;
  const helpers = team.filter((p) => p !== jungler && random.chance(0.4)).map((p) => p.participantId);
  return {
    ...(helpers.length > 0 ? { assistingParticipantIds: helpers } : {}),
    bounty: 0,
    killerId: jungler.participantId,
    killerTeamId: o.teamId,
    monsterType: o.monsterType,
    ...(o.monsterSubType ? { monsterSubType: o.monsterSubType } : {}),
    position: pit[o.monsterType],
    timestamp: o.timestamp,
    type: "ELITE_MONSTER_KILL",
  };
}

function buildingEvent(random: Random, game: SimGame, o: BuildingKill): TimelineEvent {
  const owner = other(o.teamId);
  const takers = game.participants.filter((p) => p.teamId === o.teamId);
  const key = `${o.laneType}:${o.buildingType === "INHIBITOR_BUILDING" ? "INHIBITOR" : o.towerType}`;
  return {
    assistingParticipantIds: random.sample(takers, random.int(0, 3)).map((p) => p.participantId),
    bounty: o.buildingType === "TOWER_BUILDING" ? 250 : 50,
    buildingType: o.buildingType,
    // 0 is how Riot reports a building that minions finished.
    killerId: random.chance(0.15) ? 0 : random.pick(takers).participantId,
    laneType: o.laneType,
    position: buildingAt[owner][key] ?? { x: 7400, y: 7400 },
    teamId: owner,
    timestamp: o.timestamp,
    ...(o.towerType ? { towerType: o.towerType } : {}),
    type: "BUILDING_KILL",
  };
}

function playerEvents(random: Random, game: SimGame, p: SimParticipant, t: SimTotals): TimelineEvent[] {
  const id = p.participantId;
  const events: TimelineEvent[] = t.build.purchases.map((b) => ({ itemId: b.itemId, participantId: id, timestamp: b.timestamp, type: "ITEM_PURCHASED" }));
  const skillOrder = random.sample([1, 2, 3], 3);
  events.push({ levelUpType: "NORMAL", participantId: id, skillSlot: skillOrder[0], timestamp: random.int(10_000, 60_000), type: "SKILL_LEVEL_UP" });
  for (const { level, timestamp } of levelUpTimes(t, game.durationMs)) {
    const skillSlot = level === 6 || level === 11 || level === 16 ? 4 : skillOrder[level <= 3 ? level - 1 : level % 3];
    events.push({ level, participantId: id, timestamp, type: "LEVEL_UP" });
    events.push({ levelUpType: "NORMAL", participantId: id, skillSlot, timestamp: timestamp + random.int(50, 4_000), type: "SKILL_LEVEL_UP" });
  }
  const wardType = p.position === "UTILITY" ? ["SIGHT_WARD", "CONTROL_WARD", "BLUE_TRINKET"] : ["YELLOW_TRINKET", "CONTROL_WARD"];
  for (let i = 0; i < t.wardsPlaced; i++) {
    events.push({ creatorId: id, timestamp: random.int(60_000, game.durationMs), type: "WARD_PLACED", wardType: random.pick(wardType) });
  }
  for (let i = 0; i < t.wardsKilled; i++) {
    events.push({ killerId: id, timestamp: random.int(3 * 60_000, game.durationMs), type: "WARD_KILL", wardType: random.pick(["YELLOW_TRINKET", "CONTROL_WARD", "SIGHT_WARD"]) });
  }
  return events;
}

/** Every event of the game but PAUSE_END and GAME_END, sorted by time. */
export function timelineEvents(random: Random, game: SimGame): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  game.kills.forEach((kill, i) => events.push(...killEvents(random, game, kill, i === 0)));
  for (const o of game.objectives) events.push(o.kind === "monster" ? monsterEvent(random, game, o) : buildingEvent(random, game, o));
  game.participants.forEach((p, i) => events.push(...playerEvents(random, game, p, game.totals[i] as SimTotals)));
  return events.filter((e) => e.timestamp < game.durationMs).sort((a, b) => a.timestamp - b.timestamp);
}
