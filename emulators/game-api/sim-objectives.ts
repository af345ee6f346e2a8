// The objectives of a simulated game: epic monsters and buildings, with times
// and takers, shared by the match details (team objectives) and the timeline.
import type { Random } from "./seeded-random.ts";

export const MonsterType = ["DRAGON", "HORDE", "RIFTHERALD", "BARON_NASHOR"] as const;
export type MonsterType = (typeof MonsterType)[number];
export const Lane = ["TOP_LANE", "MID_LANE", "BOT_LANE"] as const;
export type Lane = (typeof Lane)[number];
export type TeamId = 100 | 200;

export interface MonsterKill {
  kind: "monster";
  timestamp: number;
  monsterType: MonsterType;
  monsterSubType?: string;
  /** The team that took it. */
  teamId: TeamId;
}

export interface BuildingKill {
  kind: "building";
  timestamp: number;
  buildingType: "TOWER_BUILDING" | "INHIBITOR_BUILDING";
  towerType?: "OUTER_TURRET" | "INNER_TURRET" | "BASE_TURRET" | "NEXUS_TURRET";
  laneType: Lane;
  /** The team that took it (Riot's event names the owner; the timeline converts). */
  teamId: TeamId;
}

export type Objective = MonsterKill | BuildingKill;

const DRAGONS = ["FIRE_DRAGON", "WATER_DRAGON", "EARTH_DRAGON", "AIR_DRAGON", "HEXTECH_DRAGON", "CHEMTECH_DRAGON"];
const MINUTE = 60_000;

const other = (team: TeamId): TeamId => (team === 100 ? 200 : 100);

/** Buildings one team takes, in the order a siege goes: outer, inner, base, inhibitor, nexus. */
function siege(random: Random, taker: TeamId, towers: number, inhibitors: number, from: number, to: number, nexus: boolean): BuildingKill[] {
  const order: Omit<BuildingKill, "timestamp">[] = [];
  const lanes = random.sample(Lane, 3);
  for (const towerType of ["OUTER_TURRET", "INNER_TURRET", "BASE_TURRET"] as const) {
    for (const laneType of lanes) order.push({ kind: "building", buildingType: "TOWER_BUILDING", towerType, laneType, teamId: taker });
  }
  const taken = order.slice(0, Math.min(towers, 9));
  // An inhibitor falls only in a lane whose base turret fell first.
  for (const laneType of lanes.slice(0, Math.min(inhibitors, Math.max(0, towers - 6)))) taken.push({ kind: "building", buildingType: "INHIBITOR_BUILDING", laneType, teamId: taker });
  if (nexus) {
    for (let i = 0; i < 2; i++) taken.push({ kind: "building", buildingType: "TOWER_BUILDING", towerType: "NEXUS_TURRET", laneType: "MID_LANE", teamId: taker });
  }
  const times = taken.map(() => random.int(from, to)).sort((a, b) => a - b);
  return taken.map((building, i) => ({ ...building, timestamp: times[i] as number }));
}

/** All objectives of a game of `durationMs` that `winner` won, sorted by time. */
export function simulateObjectives(random: Random, durationMs: number, winner: TeamId): Objective[] {
  const loser = other(winner);
  const favour = (): TeamId => (random.chance(0.65) ? winner : loser);
  const objectives: Objective[] = [];

  for (let t = 5 * MINUTE + random.int(0, 30_000); t < durationMs - MINUTE; t += 5 * MINUTE + random.int(0, 90_000)) {
    objectives.push({ kind: "monster", timestamp: t, monsterType: "DRAGON", monsterSubType: random.pick(DRAGONS), teamId: favour() });
  }
  for (let i = 0, grubs = random.int(3, 6); i < grubs; i++) {
    objectives.push({ kind: "monster", timestamp: random.int(6 * MINUTE, 14 * MINUTE), monsterType: "HORDE", teamId: favour() });
  }
  if (random.chance(0.8)) {
    objectives.push({ kind: "monster", timestamp: random.int(15 * MINUTE, 19 * MINUTE), monsterType: "RIFTHERALD", teamId: favour() });
  }
  for (let t = 21 * MINUTE + random.int(0, 4 * MINUTE); t < durationMs - 2 * MINUTE && random.chance(0.7); t += 6 * MINUTE + random.int(0, 3 * MINUTE)) {
    objectives.push({ kind: "monster", timestamp: t, monsterType: "BARON_NASHOR", teamId: random.chance(0.8) ? winner : loser });
  }

  const siegeStart = 11 * MINUTE;
  objectives.push(...siege(random, winner, random.int(7, 9), random.int(1, 3), siegeStart, durationMs - 20_000, true));
  objectives.push(...siege(random, loser, random.int(1, 7), random.int(0, 1), siegeStart, Math.floor(durationMs * 0.85), false));
  return objectives.sort((a, b) => a.timestamp - b.timestamp);
}
