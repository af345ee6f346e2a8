// The Edge voice list, kept in memory per instance and in Redis for a day, so
// that checking a voice before each synthesis costs no request to Microsoft.
import type { KeyValueStore } from "../../core/ports.ts";
import type { SpeechVoice } from "../../tasks/tts/ports.ts";

const KEY = "tts:edge-voices";

interface Stored {
  voices: SpeechVoice[];
  fetched_at: number;
}

export interface VoiceListOptions {
  fetch: () => Promise<SpeechVoice[]>;
  /** Shares the list across instances; failures to read or write it are ignored. */
  store?: KeyValueStore | undefined;
  /** Default 86,400 (a day). */
  ttlSeconds?: number;
  now?: () => number;
}

export class CachedVoiceList {
  readonly #options: VoiceListOptions;
  #memory: Stored | null = null;
  /** One load at a time: concurrent tasks on an instance share it. */
  #loading: Promise<SpeechVoice[]> | null = null;

  constructor(options: VoiceListOptions) {
    this.#options = options;
  }

  get(): Promise<SpeechVoice[]> {
    if (this.#memory && this.#fresh(this.#memory)) return Promise.resolve(this.#memory.voices);
    this.#loading ??= this.#load().finally(() => (this.#loading = null));
    return this.#loading;
  }

  #fresh(stored: Stored): boolean {
    const now = (this.#options.now ?? Date.now)();
    return now - stored.fetched_at < (this.#options.ttlSeconds ?? 86_400) * 1000;
  }

  async #load(): Promise<SpeechVoice[]> {
    const store = this.#options.store;
    const shared = await store?.get<Stored>(KEY).catch(() => null);
    if (shared && Array.isArray(shared.voices) && shared.voices.length > 0 && this.#fresh(shared)) {
      this.#memory = shared;
      return shared.voices;
    }
    const voices = await this.#options.fetch();
    const stored = { voices, fetched_at: (this.#options.now ?? Date.now)() };
    this.#memory = stored;
    await store?.set(KEY, stored, { ttlSeconds: this.#options.ttlSeconds ?? 86_400 }).catch(() => undefined);
    return voices;
  }
}
