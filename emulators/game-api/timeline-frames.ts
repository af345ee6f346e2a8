// The participantFrames of a match-v5 timeline: each player's state once a
// minute, growing along a curve that ends at the match details' totals.
import { levelFromXp, xpForLevel, type SimGame, type SimParticipant, type SimTotals } from "./match-sim.ts";
import type { Random } from "./seeded-random.ts";

const XP_CURVE = 1.05;
/** Minions reach lane at 1:05: no experience or farm before that. */
const MINIONS_ARRIVE_MS = 65_000;

function laneProgress(timestamp: number, durationMs: number): number {
  return Math.min(1, Math.max(0, (timestamp - MINIONS_ARRIVE_MS) / (durationMs - MINIONS_ARRIVE_MS)));
}

/** Progress in [0, 1] raised to a power: gold and damage come faster late. */
const along = (final: number, progress: number, power: number) => Math.round(final * progress ** power);

/** When the player reached each level, from the same curve the frames use. */
export function levelUpTimes(totals: SimTotals, durationMs: number): { level: number; timestamp: number }[] {
  const times = [];
  for (let level = 2; level <= totals.champLevel; level++) {
    const share = (xpForLevel[level] as number) / Math.max(1, totals.champExperience);
    const timestamp = Math.round(MINIONS_ARRIVE_MS + (durationMs - MINIONS_ARRIVE_MS) * share ** (1 / XP_CURVE));
    // A player capped at level 18 gets there before the nexus falls, not with it.
    times.push({ level, timestamp: Math.min(timestamp, durationMs - 5_000) });
  }
  return times;
}

function championStats(random: Random, p: SimParticipant, level: number, progress: number) {
  const itemPower = progress ** 1.2;
  const physical = p.physicalShare > 0.5;
  const healthMax = Math.round(600 + 105 * (level - 1) + 2500 * itemPower * (p.position === "TOP" || p.position === "JUNGLE" ? 1 : 0.4));
  const powerMax = Math.round(300 + 45 * (level - 1) + 600 * itemPower);
  return {
    abilityHaste: Math.round(40 * itemPower),
    abilityPower: physical ? 0 : Math.round(650 * itemPower),
    armor: Math.round(32 + 4.6 * (level - 1) + 120 * itemPower),
    armorPen: physical ? Math.round(18 * itemPower) : 0,
    armorPenPercent: 0,
    attackDamage: Math.round(60 + 3.5 * (level - 1) + (physical ? 280 : 20) * itemPower),
    attackSpeed: Math.round(100 + 2.5 * (level - 1) + (physical ? 90 : 10) * itemPower),
    bonusArmorPenPercent: 0,
    bonusMagicPenPercent: 0,
    ccReduction: p.position === "TOP" ? 30 : 0,
    cooldownReduction: 0,
    health: random.int(Math.round(healthMax * 0.3), healthMax),
    healthMax,
    healthRegen: Math.round(8 + 0.8 * level),
    lifesteal: physical ? Math.round(12 * itemPower) : 0,
    magicPen: physical ? 0 : Math.round(18 * itemPower),
    magicPenPercent: 0,
    magicResist: Math.round(32 + 2 * (level - 1) + 60 * itemPower),
    movementSpeed: 335 + Math.round(60 * Math.min(1, progress * 4)),
    omnivamp: 0,
    physicalVamp: 0,
    power: random.int(Math.round(powerMax * 0.2), powerMax),
    powerMax,
    powerRegen: Math.round(7 + 0.6 * level),
    spellVamp: 0,
  };
}

function damageStats(t: SimTotals, progress: number) {
  const d = (final: number) => along(final, progress, 1.4);
  const stats = {
    magicDamageDone: d(t.damageDealt.magic),
    magicDamageDoneToChampions: d(t.damageToChampions.magic),
    magicDamageTaken: d(t.damageTaken.magic),
    physicalDamageDone: d(t.damageDealt.physical),
    physicalDamageDoneToChampions: d(t.damageToChampions.physical),
    physicalDamageTaken: d(t.damageTaken.physical),
    totalDamageDone: 0,
    totalDamageDoneToChampions: 0,
    totalDamageTaken: 0,
    trueDamageDone: d(t.damageDealt.true),
    trueDamageDoneToChampions: d(t.damageToChampions.true),
    trueDamageTaken: d(t.damageTaken.true),
  };
  stats.totalDamageDone = stats.magicDamageDone + stats.physicalDamageDone + stats.trueDamageDone;
  stats.totalDamageDoneToChampions = stats.magicDamageDoneToChampions + stats.physicalDamageDoneToChampions + stats.trueDamageDoneToChampions;
  stats.totalDamageTaken = stats.magicDamageTaken + stats.physicalDamageTaken + stats.trueDamageTaken;
  return stats;
}

/** participantFrames keyed "1".."10" at `timestamp`; the last frame equals the totals. */
export function participantFrames(random: Random, game: SimGame, timestamp: number) {
  const progress = Math.min(1, timestamp / game.durationMs);
  const farm = laneProgress(timestamp, game.durationMs);
  const frames: Record<string, unknown> = {};
  game.participants.forEach((p, i) => {
    const t = game.totals[i] as SimTotals;
    const xp = along(t.champExperience, farm, XP_CURVE);
    const level = levelFromXp(xp);
    const totalGold = 500 + along(t.goldEarned - 500, progress, 1.15);
    frames[String(p.participantId)] = {
      championStats: championStats(random, p, level, progress),
      currentGold: Math.min(totalGold, random.int(0, 1_400)),
      damageStats: damageStats(t, progress),
      goldPerSecond: 0,
      jungleMinionsKilled: along(t.jungleMinions, farm, 1),
      level,
      minionsKilled: along(t.laneMinions, farm, 1),
      participantId: p.participantId,
      position: { x: random.int(400, 14_400), y: random.int(400, 14_400) },
      timeEnemySpentControlled: Math.round(random.next() * 200 * progress),
      totalGold,
      xp,
    };
  });
  return frames;
}
