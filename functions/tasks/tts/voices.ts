// Which Edge voice speaks: an explicit voice wins; otherwise the source note's
// voice for the language and gender; otherwise the first voice of the service's
// list for that locale (or language) and gender. A choice the service cannot
// honour is a non-retryable failure that names the voice.
import { NonRetryableError } from "../../core/task-kit.ts";
import type { SpeechVoice } from "./ports.ts";
import type { Gender } from "./input.ts";

/** From the source note's VOICE_MAP. */
const defaultVoices: Readonly<Record<string, Readonly<Record<Gender, string>>>> = {
  vi: { female: "vi-VN-HoaiMyNeural", male: "vi-VN-NamMinhNeural" },
  en: { female: "en-US-JennyNeural", male: "en-US-GuyNeural" },
  zh: { female: "zh-CN-XiaomoNeural", male: "zh-CN-YunxiNeural" },
};

export interface VoiceWish {
  lang: string;
  gender: Gender;
  voice?: string | undefined;
}

export function chooseVoice(wish: VoiceWish, available: readonly SpeechVoice[]): string {
  const byName = (name: string) => available.find((v) => v.name.toLowerCase() === name.toLowerCase());
  if (wish.voice) {
    const found = byName(wish.voice);
    if (!found) {
      const locale = wish.voice.split("-").slice(0, 2).join("-").toLowerCase();
      const near = available.filter((v) => v.locale.toLowerCase() === locale).map((v) => v.name);
      const hint = near.length > 0 ? `; voices for ${locale}: ${near.slice(0, 10).join(", ")}` : "";
      throw new NonRetryableError(`unknown voice "${wish.voice}": Edge TTS does not offer it${hint}`);
    }
    return found.name;
  }

  const lang = wish.lang.toLowerCase();
  const [language = lang] = lang.split("-");
  const preset = defaultVoices[language]?.[wish.gender];
  // The note's voice serves "vi" and "vi-VN" alike, not "en-GB" for its "en-US" voice.
  if (preset && (lang === language || preset.toLowerCase().startsWith(`${lang}-`))) {
    const found = byName(preset);
    if (found) return found.name;
  }

  const inLanguage = available.filter((v) => {
    const locale = v.locale.toLowerCase();
    return lang === language ? locale === language || locale.startsWith(`${language}-`) : locale === lang;
  });
  if (inLanguage.length === 0) {
    throw new NonRetryableError(`no Edge TTS voice speaks "${wish.lang}"`);
  }
  const match = inLanguage.find((v) => v.gender.toLowerCase() === wish.gender);
  if (!match) {
    throw new NonRetryableError(
      `no ${wish.gender} Edge TTS voice speaks "${wish.lang}"; pick one of: ${inLanguage.slice(0, 10).map((v) => v.name).join(", ")}`,
    );
  }
  return match.name;
}
