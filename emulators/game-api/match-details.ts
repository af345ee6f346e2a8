// GET /lol/match/v5/matches/{matchId}: a MatchDto written from the simulated game.
import { participantDto } from "./details-participant.ts";
import type { SimGame } from "./match-sim.ts";
import { seededRandom } from "./seeded-random.ts";
import type { MonsterType, TeamId } from "./sim-objectives.ts";

function teamObjectives(game: SimGame, teamId: TeamId) {
  const monster = (type: MonsterType) => {
    const all = game.objectives.filter((o) => o.kind === "monster" && o.monsterType === type);
    return { first: all[0]?.teamId === teamId, kills: all.filter((o) => o.teamId === teamId).length };
  };
  const building = (type: "TOWER_BUILDING" | "INHIBITOR_BUILDING") => {
    const all = game.objectives.filter((o) => o.kind === "building" && o.buildingType === type);
    return { first: all[0]?.teamId === teamId, kills: all.filter((o) => o.teamId === teamId).length };
  };
  const team = new Set(game.participants.filter((p) => p.teamId === teamId).map((p) => p.participantId));
  return {
    atakhan: { first: false, kills: 0 },
    baron: monster("BARON_NASHOR"),
    champion: { first: team.has(game.kills[0]?.killerId ?? 0), kills: game.kills.filter((k) => team.has(k.killerId)).length },
    dragon: monster("DRAGON"),
    horde: monster("HORDE"),
    inhibitor: building("INHIBITOR_BUILDING"),
    riftHerald: monster("RIFTHERALD"),
    tower: building("TOWER_BUILDING"),
  };
}

export function matchDto(game: SimGame) {
  const random = seededRandom(`${game.matchId}:details`);
  const durationSeconds = Math.floor(game.durationMs / 1000);
  return {
    metadata: {
      dataVersion: "2",
      matchId: game.matchId,
      participants: game.participants.map((p) => p.puuid),
    },
    info: {
      endOfGameResult: "GameComplete",
      gameCreation: game.gameCreation,
      gameDuration: durationSeconds,
      gameEndTimestamp: game.gameStartTimestamp + game.durationMs,
      gameId: game.gameId,
      gameMode: "CLASSIC",
      gameName: `teambuilder-match-${game.gameId}`,
      gameStartTimestamp: game.gameStartTimestamp,
      gameType: "MATCHED_GAME",
      gameVersion: game.gameVersion,
      mapId: 11,
      participants: game.participants.map((_, i) => participantDto(random, game, i)),
      platformId: game.platformId,
      queueId: game.queueId,
      teams: ([100, 200] as const).map((teamId) => ({
        bans: game.bans.filter((b) => b.teamId === teamId).map(({ championId, pickTurn }) => ({ championId, pickTurn })),
        objectives: teamObjectives(game, teamId),
        teamId,
        win: game.winner === teamId,
      })),
      tournamentCode: "",
    },
  };
}
