// GET /lol/match/v5/matches/{matchId}/timeline: a TimelineDto, one frame a
// minute plus a last frame at the end of the game.
import type { SimGame } from "./match-sim.ts";
import { seededRandom } from "./seeded-random.ts";
import { timelineEvents, type TimelineEvent } from "./timeline-events.ts";
import { participantFrames } from "./timeline-frames.ts";

export const FRAME_INTERVAL_MS = 60_000;

export function timelineDto(game: SimGame) {
  const random = seededRandom(`${game.matchId}:timeline`);
  const events = timelineEvents(random, game);
  const frameTimes: number[] = [];
  // Riot's frames land a few ms after each minute; the last one at the game's end.
  for (let t = 0; t < game.durationMs; t += FRAME_INTERVAL_MS) frameTimes.push(t === 0 ? 0 : t + random.int(0, 40));
  frameTimes.push(game.durationMs);

  const gameEnd = game.gameStartTimestamp + game.durationMs;
  let next = 0;
  const frames = frameTimes.map((timestamp, index) => {
    const own: TimelineEvent[] = [];
    if (index === 0) own.push({ realTimestamp: game.gameStartTimestamp, timestamp: 0, type: "PAUSE_END" });
    const until = index === frameTimes.length - 1 ? Infinity : timestamp;
    while (next < events.length && (events[next] as TimelineEvent).timestamp <= until) own.push(events[next++] as TimelineEvent);
    if (index === frameTimes.length - 1) {
      own.push({ gameId: game.gameId, realTimestamp: gameEnd, timestamp, type: "GAME_END", winningTeam: game.winner });
    }
    return { events: own, participantFrames: participantFrames(random, game, timestamp), timestamp };
  });

  return {
    metadata: {
      dataVersion: "2",
      matchId: game.matchId,
      participants: game.participants.map((p) => p.puuid),
    },
    info: {
      endOfGameResult: "GameComplete",
      frameInterval: FRAME_INTERVAL_MS,
      frames,
      gameId: game.gameId,
      participants: game.participants.map((p) => ({ participantId: p.participantId, puuid: p.puuid })),
    },
  };
}
