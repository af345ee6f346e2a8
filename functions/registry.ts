// Every queue and task this deployment runs: the one list that the api, the
// worker, OpenAPI and the Terraform manifest read.
import { createRegistry } from "./core/registry.ts";
import { config } from "./config.ts";
import { defineQueue } from "./core/queues.ts";
import { notifyQueryResult, notifySystem, notifyUsageStatistics } from "./tasks/notifications/index.ts";
import { add, collect, flaky, noop, sleep } from "./tasks/testing/noop.ts";
import { hold } from "./tasks/testing/hold.ts";
import { failOnce } from "./tasks/testing/fail-once.ts";
import { announce } from "./tasks/testing/announce.ts";
import { cleanupAudio, generateSpeech } from "./tasks/tts/index.ts";
import { callback } from "./tasks/platform/callback.ts";
import { outboxSweep } from "./tasks/platform/outbox-sweep.ts";
import { calculateTier, resetAllDailyLimits, resetDailyLimit, updateStatistics } from "./tasks/users/index.ts";
import { cleanupCache, cleanupConversations, cleanupFailedTasks, cleanupQueryCache } from "./tasks/cleanup/index.ts";
import { mediaTasks } from "./tasks/media/index.ts";
import { syncAllRegions, syncDeleteDocument, syncEmbeddings, syncFull, syncProcessQueue, syncQueueDocument, syncRegion } from "./tasks/sync/index.ts";
import { batchFetchMatches, fetchAndStoreMatch, fetchMatchHistory } from "./tasks/matches/index.ts";

export const queues = [
  defineQueue({ name: "default", description: "General tasks" }),
  defineQueue({ name: "callbacks", description: "Outcomes POSTed to callback_url", priorityTwin: false }),
  defineQueue({
    name: "notifications",
    description: "Webhooks to the user system",
    maxDispatchesPerSecond: 100,
    maxConcurrentDispatches: 200,
  }),
  defineQueue({
    name: "tts",
    description: "Text to speech with Edge TTS; kept gentle, as Edge throttles bursts",
    maxDispatchesPerSecond: 10,
    maxConcurrentDispatches: 20,
    retry: { maxAttempts: 4, minBackoffSeconds: 2, maxBackoffSeconds: 300 },
  }),
  defineQueue({
    name: "media-cpu",
    description: "Image jobs that run on CPU (background and object removal)",
    maxDispatchesPerSecond: 20,
    maxConcurrentDispatches: 16,
    retry: { maxAttempts: 5, maxBackoffSeconds: 600 },
  }),
  defineQueue({
    name: "media-gpu",
    description: "Image jobs for a GPU (generation, face swap, style transfer); served by the worker-gpu function",
    maxDispatchesPerSecond: 5,
    maxConcurrentDispatches: 4,
    retry: { maxAttempts: 5, maxBackoffSeconds: 600 },
    worker: "worker-gpu",
  }),
  defineQueue({
    name: "matches",
    description: "Game API fetches: 100 a minute, few at once, to stay inside the upstream's rate limits",
    maxDispatchesPerSecond: 100 / 60,
    maxConcurrentDispatches: 10,
    // A "-high" twin would double the rate the upstream sees.
    priorityTwin: false,
  }),
  defineQueue({ name: "user", description: "Users' statistics, tiers and daily limits (one update after every query)" }),
  defineQueue({
    name: "cleanup",
    description: "Maintenance sweeps over Redis in bounded batches; a few at once, so they never crowd Redis",
    maxDispatchesPerSecond: 5,
    maxConcurrentDispatches: 4,
    priorityTwin: false,
  }),
  defineQueue({
    name: "ai",
    description: "LLM analysis (no tasks yet); few at once, as model calls are slow and metered",
    maxConcurrentDispatches: 20,
  }),
  defineQueue({
    name: "sync",
    description: "Vector sync from the ingest system into Qdrant; few at once, as each keeps Qdrant and the embedder busy",
    maxDispatchesPerSecond: 50,
    maxConcurrentDispatches: 10,
  }),
];

export const tasks = [notifyQueryResult, notifySystem, notifyUsageStatistics, callback, outboxSweep, noop, sleep, flaky, failOnce, add, collect, hold, announce, generateSpeech, cleanupAudio, ...mediaTasks,
  fetchMatchHistory, fetchAndStoreMatch, batchFetchMatches,
  resetDailyLimit, resetAllDailyLimits, updateStatistics, calculateTier,
  cleanupCache, cleanupQueryCache, cleanupConversations, cleanupFailedTasks,
  syncEmbeddings, syncProcessQueue, syncFull, syncAllRegions, syncRegion, syncDeleteDocument, syncQueueDocument];

// testing.* tasks are open to callers only where TESTING_TASKS=true (the local stack and the tests).
export const registry = createRegistry({ queues, tasks, testingEnabled: () => config().TESTING_TASKS });
