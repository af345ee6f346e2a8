export { generateSpeech } from "./generate.ts";
export { cleanupAudio } from "./cleanup-audio.ts";
export { language, ttsFields } from "./input.ts";
