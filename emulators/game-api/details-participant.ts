// One entry of info.participants in a match-v5 MatchDto: the ~130 fields Riot
// sends per player, totals from the simulation, the rest plausible noise.
import { runeTrees, statPerkRows, type RuneTree } from "./catalog.ts";
import type { SimGame, SimKill, SimParticipant, SimTotals } from "./match-sim.ts";
import type { Random } from "./seeded-random.ts";

const laneOf = { TOP: "TOP", JUNGLE: "JUNGLE", MIDDLE: "MIDDLE", BOTTOM: "BOTTOM", UTILITY: "BOTTOM" } as const;
const roleOf = { TOP: "SOLO", JUNGLE: "NONE", MIDDLE: "SOLO", BOTTOM: "CARRY", UTILITY: "SUPPORT" } as const;

function perks(random: Random) {
  const [primary, secondary] = random.sample(runeTrees, 2) as [RuneTree, RuneTree];
  const selection = (perk: number) => ({ perk, var1: random.int(0, 2500), var2: random.int(0, 300), var3: random.int(0, 100) });
  const secondaryRows = random.sample(secondary.rows.slice(1), 2);
  return {
    statPerks: {
      defense: random.pick(statPerkRows.defense),
      flex: random.pick(statPerkRows.flex),
      offense: random.pick(statPerkRows.offense),
    },
    styles: [
      { description: "primaryStyle", selections: primary.rows.map((row) => selection(random.pick(row))), style: primary.style },
      { description: "subStyle", selections: secondaryRows.map((row) => selection(random.pick(row))), style: secondary.style },
    ],
  };
}

/** Largest number of kills within 10 s of each other, as Riot counts multikills. */
function multikills(kills: SimKill[]): number[] {
  const counts = [0, 0, 0, 0, 0, 0];
  let run = 0;
  let last = -Infinity;
  for (const kill of kills) {
    run = kill.timestamp - last <= 10_000 ? run + 1 : 1;
    last = kill.timestamp;
    if (run >= 2) counts[Math.min(run, 5)] = (counts[Math.min(run, 5)] as number) + 1;
  }
  return counts;
}

const sum = (d: { physical: number; magic: number; true: number }) => d.physical + d.magic + d.true;

function challenges(random: Random, game: SimGame, p: SimParticipant, t: SimTotals, teamKills: number, teamDamage: number) {
  const minutes = game.durationMs / 60_000;
  const takedowns = t.kills + t.assists;
  return {
    "12AssistStreakCount": t.assists >= 12 ? 1 : 0,
    abilityUses: random.int(150, 700),
    acesBefore15Minutes: random.int(0, 1),
    alliedJungleMonsterKills: p.position === "JUNGLE" ? Math.round(t.jungleMinions * 0.6) : random.int(0, 4),
    baronTakedowns: game.objectives.filter((o) => o.kind === "monster" && o.monsterType === "BARON_NASHOR" && o.teamId === p.teamId).length,
    bountyGold: random.int(0, 900),
    buffsStolen: random.int(0, 2),
    controlWardsPlaced: t.build.visionWardsBought,
    damagePerMinute: sum(t.damageToChampions) / minutes,
    damageTakenOnTeamPercentage: 0.1 + random.next() * 0.25,
    deathsByEnemyChamps: t.deaths,
    dodgeSkillShotsSmallWindow: random.int(0, 30),
    dragonTakedowns: game.objectives.filter((o) => o.kind === "monster" && o.monsterType === "DRAGON" && o.teamId === p.teamId).length,
    effectiveHealAndShielding: p.position === "UTILITY" ? random.next() * 12_000 : random.next() * 800,
    enemyChampionImmobilizations: random.int(0, 60),
    enemyJungleMonsterKills: random.int(0, 12),
    gameLength: minutes * 60,
    goldPerMinute: t.goldEarned / minutes,
    initialBuffCount: p.position === "JUNGLE" ? random.int(1, 2) : 0,
    jungleCsBefore10Minutes: p.position === "JUNGLE" ? random.int(40, 70) : 0,
    kda: (t.kills + t.assists) / Math.max(1, t.deaths),
    killParticipation: teamKills === 0 ? 0 : takedowns / teamKills,
    laneMinionsFirst10Minutes: p.position === "JUNGLE" || p.position === "UTILITY" ? random.int(0, 10) : random.int(45, 85),
    legendaryCount: random.int(0, 2),
    maxCsAdvantageOnLaneOpponent: random.int(-30, 60),
    maxKillDeficit: random.int(0, 8),
    maxLevelLeadLaneOpponent: random.int(0, 3),
    multikills: multikills(game.kills.filter((k) => k.killerId === p.participantId)).reduce((a, b) => a + b, 0),
    outnumberedKills: random.int(0, 3),
    perfectGame: t.deaths === 0 && game.winner === p.teamId ? 1 : 0,
    quickSoloKills: random.int(0, 2),
    skillshotsDodged: random.int(0, 80),
    skillshotsHit: random.int(0, 120),
    soloKills: random.int(0, Math.min(3, t.kills)),
    stealthWardsPlaced: t.wardsPlaced - t.build.visionWardsBought > 0 ? t.wardsPlaced - t.build.visionWardsBought : 0,
    takedowns,
    teamDamagePercentage: teamDamage === 0 ? 0 : (t.damageToChampions.physical + t.damageToChampions.magic + t.damageToChampions.true) / teamDamage,
    turretPlatesTaken: random.int(0, 5),
    turretTakedowns: random.int(0, 5),
    visionScoreAdvantageLaneOpponent: random.next() * 2 - 1,
    visionScorePerMinute: (t.wardsPlaced * 1.4 + t.wardsKilled) / minutes,
    wardTakedowns: t.wardsKilled,
    wardTakedownsBefore20M: Math.min(t.wardsKilled, random.int(0, 6)),
  };
}

export function participantDto(random: Random, game: SimGame, index: number) {
  const p = game.participants[index] as SimParticipant;
  const t = game.totals[index] as SimTotals;
  const team = game.participants.map((q, i) => ({ q, t: game.totals[i] as SimTotals })).filter(({ q }) => q.teamId === p.teamId);
  const teamKills = team.reduce((n, m) => n + m.t.kills, 0);
  const teamDamage = team.reduce((n, m) => n + sum(m.t.damageToChampions), 0);
  const won = game.winner === p.teamId;
  const ownKills = game.kills.filter((k) => k.killerId === p.participantId);
  const multi = multikills(ownKills);
  const firstBlood = game.kills[0];
  const towersTaken = game.objectives.filter((o) => o.kind === "building" && o.buildingType === "TOWER_BUILDING");
  const firstTower = towersTaken[0];
  const ourTowers = towersTaken.filter((o) => o.teamId === p.teamId).length;
  const inhibitors = game.objectives.filter((o) => o.kind === "building" && o.buildingType === "INHIBITOR_BUILDING");
  const ourInhibitors = inhibitors.filter((o) => o.teamId === p.teamId).length;
  const timePlayed = Math.floor(game.durationMs / 1000);
  const visionScore = Math.round(t.wardsPlaced * 1.4 + t.wardsKilled + t.build.visionWardsBought * 2);
  const [item0, item1, item2, item3, item4, item5, item6] = t.build.items;
  const streaks = ownKills.map((k) => k.killStreakLength);
  const pings = () => random.int(0, 12);

  return {
    allInPings: pings(), assistMePings: pings(), assists: t.assists,
    baronKills: p.position === "JUNGLE" ? game.objectives.filter((o) => o.kind === "monster" && o.monsterType === "BARON_NASHOR" && o.teamId === p.teamId).length : 0,
    basicPings: 0, bountyLevel: random.int(0, 5),
    challenges: challenges(random, game, p, t, teamKills, teamDamage),
    champExperience: t.champExperience, champLevel: t.champLevel, championId: p.champion.id, championName: p.champion.name,
    championTransform: 0, commandPings: pings(), consumablesPurchased: t.build.consumablesPurchased,
    damageDealtToBuildings: random.int(0, 12_000), damageDealtToObjectives: random.int(1_000, 40_000), damageDealtToTurrets: random.int(0, 12_000),
    damageSelfMitigated: Math.round(sum(t.damageTaken) * (0.5 + random.next())),
    dangerPings: pings(), deaths: t.deaths, detectorWardsPlaced: t.build.visionWardsBought, doubleKills: multi[2] as number,
    dragonKills: p.position === "JUNGLE" ? game.objectives.filter((o) => o.kind === "monster" && o.monsterType === "DRAGON" && o.teamId === p.teamId).length : 0,
    eligibleForProgression: true, enemyMissingPings: pings(), enemyVisionPings: pings(),
    firstBloodAssist: firstBlood?.assistIds.includes(p.participantId) ?? false,
    firstBloodKill: firstBlood?.killerId === p.participantId,
    firstTowerAssist: false,
    firstTowerKill: firstTower?.teamId === p.teamId && p.position === "TOP",
    gameEndedInEarlySurrender: false, gameEndedInSurrender: game.surrendered, getBackPings: pings(),
    goldEarned: t.goldEarned, goldSpent: t.goldSpent, holdPings: 0,
    individualPosition: p.position,
    inhibitorKills: random.int(0, Math.min(1, ourInhibitors)), inhibitorTakedowns: random.int(0, ourInhibitors), inhibitorsLost: inhibitors.length - ourInhibitors,
    item0, item1, item2, item3, item4, item5, item6,
    itemsPurchased: t.build.purchases.length,
    killingSprees: streaks.filter((s) => s === 3).length,
    kills: t.kills, lane: laneOf[p.position], largestCriticalStrike: p.physicalShare > 0.6 ? random.int(0, 1800) : 0,
    largestKillingSpree: Math.max(0, ...streaks.map((s) => (s >= 2 ? s : 0))),
    largestMultiKill: Math.max(t.kills > 0 ? 1 : 0, ...multi.map((count, size) => (count > 0 ? size : 0))),
    longestTimeSpentLiving: random.int(300, timePlayed),
    magicDamageDealt: t.damageDealt.magic, magicDamageDealtToChampions: t.damageToChampions.magic, magicDamageTaken: t.damageTaken.magic,
    missions: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`playerScore${i}`, 0])),
    needVisionPings: pings(), neutralMinionsKilled: t.jungleMinions,
    nexusKills: won && p.position === "BOTTOM" ? 1 : 0, nexusLost: won ? 0 : 1, nexusTakedowns: won ? 1 : 0,
    objectivesStolen: 0, objectivesStolenAssists: 0, onMyWayPings: pings(),
    participantId: p.participantId, pentaKills: multi[5] as number,
    perks: perks(random),
    physicalDamageDealt: t.damageDealt.physical, physicalDamageDealtToChampions: t.damageToChampions.physical, physicalDamageTaken: t.damageTaken.physical,
    placement: 0, playerAugment1: 0, playerAugment2: 0, playerAugment3: 0, playerAugment4: 0, playerSubteamId: 0,
    profileIcon: p.profileIcon, pushPings: pings(), puuid: p.puuid, quadraKills: multi[4] as number,
    riotIdGameName: p.riotIdGameName, riotIdTagline: p.riotIdTagline, role: roleOf[p.position],
    sightWardsBoughtInGame: 0,
    spell1Casts: random.int(30, 300), spell2Casts: random.int(20, 200), spell3Casts: random.int(20, 200), spell4Casts: random.int(3, 30),
    subteamPlacement: 0, summoner1Casts: random.int(2, 10), summoner1Id: p.summoner1Id, summoner2Casts: random.int(2, 10), summoner2Id: p.summoner2Id,
    summonerId: p.puuid.slice(0, 47), summonerLevel: p.summonerLevel, summonerName: "",
    teamEarlySurrendered: false, teamId: p.teamId, teamPosition: p.position,
    timeCCingOthers: random.int(0, 80), timePlayed,
    totalAllyJungleMinionsKilled: Math.round(t.jungleMinions * 0.7), totalDamageDealt: sum(t.damageDealt),
    totalDamageDealtToChampions: sum(t.damageToChampions),
    totalDamageShieldedOnTeammates: p.position === "UTILITY" ? random.int(1_000, 15_000) : random.int(0, 1_500),
    totalDamageTaken: sum(t.damageTaken), totalEnemyJungleMinionsKilled: Math.round(t.jungleMinions * 0.3),
    totalHeal: random.int(500, 20_000), totalHealsOnTeammates: p.position === "UTILITY" ? random.int(0, 10_000) : 0,
    totalMinionsKilled: t.laneMinions, totalTimeCCDealt: random.int(20, 900), totalTimeSpentDead: t.deaths * random.int(15, 45),
    totalUnitsHealed: random.int(1, 5), tripleKills: multi[3] as number,
    trueDamageDealt: t.damageDealt.true, trueDamageDealtToChampions: t.damageToChampions.true, trueDamageTaken: t.damageTaken.true,
    turretKills: random.int(0, Math.min(3, ourTowers)), turretTakedowns: random.int(0, ourTowers), turretsLost: towersTaken.length - ourTowers, unrealKills: 0,
    visionClearedPings: 0, visionScore, visionWardsBoughtInGame: t.build.visionWardsBought,
    wardsKilled: t.wardsKilled, wardsPlaced: t.wardsPlaced, win: won,
  };
}
