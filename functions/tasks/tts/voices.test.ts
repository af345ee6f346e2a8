import { describe, expect, it } from "vitest";
import { chooseVoice } from "./voices.ts";
import type { SpeechVoice } from "./ports.ts";

const voice = (name: string, gender: string): SpeechVoice => ({ name, locale: name.split("-").slice(0, 2).join("-"), gender });
const available: SpeechVoice[] = [
  voice("vi-VN-HoaiMyNeural", "Female"),
  voice("vi-VN-NamMinhNeural", "Male"),
  voice("en-US-AriaNeural", "Female"),
  voice("en-US-JennyNeural", "Female"),
  voice("en-US-GuyNeural", "Male"),
  voice("en-GB-SoniaNeural", "Female"),
  voice("en-GB-RyanNeural", "Male"),
  voice("zh-CN-XiaomoNeural", "Female"),
  voice("zh-CN-YunxiNeural", "Male"),
  voice("ja-JP-NanamiNeural", "Female"),
  voice("th-TH-PremwadeeNeural", "Female"),
];

describe("chooseVoice", () => {
  it.each([
    ["vi", "female", "vi-VN-HoaiMyNeural"],
    ["vi", "male", "vi-VN-NamMinhNeural"],
    ["en", "female", "en-US-JennyNeural"],
    ["en", "male", "en-US-GuyNeural"],
    ["zh", "female", "zh-CN-XiaomoNeural"],
    ["zh", "male", "zh-CN-YunxiNeural"],
    ["vi-VN", "male", "vi-VN-NamMinhNeural"],
    ["ZH-cn", "female", "zh-CN-XiaomoNeural"],
  ] as const)("lang %s, %s → the note's %s", (lang, gender, expected) => {
    expect(chooseVoice({ lang, gender }, available)).toBe(expected);
  });

  it("takes a locale the note has no voice for from the service's list", () => {
    expect(chooseVoice({ lang: "en-GB", gender: "male" }, available)).toBe("en-GB-RyanNeural");
    expect(chooseVoice({ lang: "ja", gender: "female" }, available)).toBe("ja-JP-NanamiNeural");
  });

  it("lets an explicit voice win over lang and gender, in the service's spelling", () => {
    expect(chooseVoice({ lang: "vi", gender: "male", voice: "en-gb-sonianeural" }, available)).toBe("en-GB-SoniaNeural");
  });

  it("falls back to the list when the note's voice is gone from the service", () => {
    const withoutJenny = available.filter((v) => v.name !== "en-US-JennyNeural");
    expect(chooseVoice({ lang: "en", gender: "female" }, withoutJenny)).toBe("en-US-AriaNeural");
  });

  it("refuses an unknown voice for good, naming it and its locale's voices", () => {
    const choose = () => chooseVoice({ lang: "vi", gender: "female", voice: "vi-VN-NobodyNeural" }, available);
    expect(choose).toThrow(expect.objectContaining({ name: "NonRetryableError" }));
    expect(choose).toThrow(/unknown voice "vi-VN-NobodyNeural".*vi-VN-HoaiMyNeural, vi-VN-NamMinhNeural/);
  });

  it("refuses a language no voice speaks, or a gender no voice of it has", () => {
    expect(() => chooseVoice({ lang: "xx", gender: "female" }, available)).toThrow(/no Edge TTS voice speaks "xx"/);
    expect(() => chooseVoice({ lang: "th-TH", gender: "male" }, available)).toThrow(/no male Edge TTS voice speaks "th-TH"; pick one of: th-TH-PremwadeeNeural/);
  });
});
