// The voices the stand-in knows, in the shape of the real readaloud/voices/list
// answer. A voice missing here is refused the way the real service refuses it.

/** One entry of GET /consumer/speech/synthesize/readaloud/voices/list. */
export interface EdgeVoice {
  Name: string;
  ShortName: string;
  Gender: "Female" | "Male";
  Locale: string;
  SuggestedCodec: string;
  FriendlyName: string;
  Status: "GA";
  VoiceTag: { ContentCategories: string[]; VoicePersonalities: string[] };
}

function voice(
  locale: string,
  person: string,
  gender: EdgeVoice["Gender"],
  language: string,
  categories: string[],
  personalities: string[],
): EdgeVoice {
  return {
    Name: `Microsoft Server Speech Text to Speech Voice (${locale}, ${person}Neural)`,
    ShortName: `${locale}-${person}Neural`,
    Gender: gender,
    Locale: locale,
    SuggestedCodec: "audio-24khz-48kbitrate-mono-mp3",
    FriendlyName: `Microsoft ${person} Online (Natural) - ${language}`,
    Status: "GA",
    VoiceTag: { ContentCategories: categories, VoicePersonalities: personalities },
  };
}

const newsNovel = ["News", "Novel"];

export const edgeVoices: readonly EdgeVoice[] = [
  voice("vi-VN", "HoaiMy", "Female", "Vietnamese (Vietnam)", ["General"], ["Friendly", "Positive"]),
  voice("vi-VN", "NamMinh", "Male", "Vietnamese (Vietnam)", ["General"], ["Friendly", "Positive"]),
  voice("en-US", "Jenny", "Female", "English (United States)", ["General"], ["Friendly", "Considerate", "Comfort"]),
  voice("en-US", "Guy", "Male", "English (United States)", newsNovel, ["Passion"]),
  voice("en-US", "Aria", "Female", "English (United States)", newsNovel, ["Positive", "Confident"]),
  voice("en-US", "Ana", "Female", "English (United States)", ["Cartoon", "Conversation"], ["Cute"]),
  voice("en-US", "Christopher", "Male", "English (United States)", newsNovel, ["Reliable", "Authority"]),
  voice("en-US", "Eric", "Male", "English (United States)", newsNovel, ["Rational"]),
  voice("en-US", "Michelle", "Female", "English (United States)", newsNovel, ["Friendly", "Pleasant"]),
  voice("en-US", "Andrew", "Male", "English (United States)", ["Conversation", "Copilot"], ["Warm", "Confident", "Authentic", "Honest"]),
  voice("en-US", "Emma", "Female", "English (United States)", ["Conversation", "Copilot"], ["Cheerful", "Clear", "Conversational"]),
  voice("en-GB", "Sonia", "Female", "English (United Kingdom)", ["General"], ["Friendly", "Positive"]),
  voice("en-GB", "Ryan", "Male", "English (United Kingdom)", ["General"], ["Friendly", "Positive"]),
  voice("zh-CN", "Xiaoxiao", "Female", "Chinese (Mainland)", newsNovel, ["Warm"]),
  voice("zh-CN", "Xiaoyi", "Female", "Chinese (Mainland)", ["Cartoon", "Novel"], ["Lively"]),
  voice("zh-CN", "Xiaomo", "Female", "Chinese (Mainland)", ["General"], ["Gentle"]),
  voice("zh-CN", "Yunjian", "Male", "Chinese (Mainland)", ["Sports", "Novel"], ["Passion"]),
  voice("zh-CN", "Yunxi", "Male", "Chinese (Mainland)", ["Novel"], ["Lively", "Sunshine"]),
  voice("zh-CN", "Yunyang", "Male", "Chinese (Mainland)", ["News"], ["Professional", "Reliable"]),
  voice("ja-JP", "Nanami", "Female", "Japanese (Japan)", ["General"], ["Friendly", "Positive"]),
  voice("ja-JP", "Keita", "Male", "Japanese (Japan)", ["General"], ["Friendly", "Positive"]),
  voice("ko-KR", "SunHi", "Female", "Korean (Korea)", ["General"], ["Friendly", "Positive"]),
  voice("ko-KR", "InJoon", "Male", "Korean (Korea)", ["General"], ["Friendly", "Positive"]),
  voice("fr-FR", "Denise", "Female", "French (France)", ["General"], ["Friendly", "Positive"]),
  voice("fr-FR", "Henri", "Male", "French (France)", ["General"], ["Friendly", "Positive"]),
  voice("de-DE", "Katja", "Female", "German (Germany)", ["General"], ["Friendly", "Positive"]),
  voice("de-DE", "Conrad", "Male", "German (Germany)", ["General"], ["Friendly", "Positive"]),
  voice("es-ES", "Elvira", "Female", "Spanish (Spain)", ["General"], ["Friendly", "Positive"]),
  voice("es-ES", "Alvaro", "Male", "Spanish (Spain)", ["General"], ["Friendly", "Positive"]),
  voice("th-TH", "Premwadee", "Female", "Thai (Thailand)", ["General"], ["Friendly", "Positive"]),
  voice("id-ID", "Gadis", "Female", "Indonesian (Indonesia)", ["General"], ["Friendly", "Positive"]),
];

/**
 * Finds a voice the way the service resolves `<voice name>`: by ShortName
 * ("en-US-JennyNeural", what msedge-tts sends) or by the long Name (what
 * Python edge-tts sends), ignoring case.
 */
export function findVoice(name: string): EdgeVoice | undefined {
  const wanted = name.trim().toLowerCase();
  return edgeVoices.find((v) => v.ShortName.toLowerCase() === wanted || v.Name.toLowerCase() === wanted);
}
