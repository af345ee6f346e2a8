import { describe, expect, it } from "vitest";
import { splitText } from "./sentences.ts";

const bytes = (text: string) => Buffer.byteLength(text, "utf8");
/** Joining the parts gives back the text, up to whitespace. */
const squash = (text: string) => text.replace(/\s+/g, "");

describe("splitText", () => {
  it("keeps text that fits as one part, trimmed", () => {
    expect(splitText("  Xin chào các bạn.  ", 100)).toEqual(["Xin chào các bạn."]);
  });

  it("splits Vietnamese at sentence ends and packs sentences greedily", () => {
    const text = "Hôm nay trời đẹp. Chúng ta đi dạo nhé! Bạn có muốn đi không? Đi thôi.";
    const parts = splitText(text, 50);
    expect(parts).toEqual(["Hôm nay trời đẹp. Chúng ta đi dạo nhé!", "Bạn có muốn đi không? Đi thôi."]);
    for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(50);
  });

  it("splits Chinese after 。！？ without spaces, keeping closing quotes with their sentence", () => {
    const text = "你好。今天天气很好！我们去散步吧？他说：“走吧。”好的。";
    const parts = splitText(text, 24);
    expect(parts).toEqual(["你好。", "今天天气很好！", "我们去散步吧？", "他说：“走吧。”", "好的。"]);
    for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(24);
  });

  it("splits at other scripts' sentence ends too (Devanagari danda, Arabic question mark)", () => {
    expect(splitText("नमस्ते दोस्तों। आप कैसे हैं। मैं ठीक हूँ।", 50)).toEqual(["नमस्ते दोस्तों।", "आप कैसे हैं।", "मैं ठीक हूँ।"]);
    expect(splitText("مرحبا يا أصدقائي؟ كيف حالكم اليوم؟ أنا بخير.", 40)).toEqual(["مرحبا يا أصدقائي؟", "كيف حالكم اليوم؟", "أنا بخير."]);
  });

  it("splits at line breaks", () => {
    expect(splitText("First line without a stop\nSecond line without one either", 30)).toEqual([
      "First line without a stop",
      "Second line without one either",
    ]);
  });

  it("falls back to clauses, then spaces, then characters for a sentence too long", () => {
    const clauses = "one two three, four five six, seven eight nine.";
    expect(splitText(clauses, 20)).toEqual(["one two three,", "four five six,", "seven eight nine."]);
    expect(splitText("alpha beta gamma delta epsilon", 12)).toEqual(["alpha beta", "gamma delta", "epsilon"]);
    const word = "a".repeat(25);
    expect(splitText(word, 10)).toEqual(["a".repeat(10), "a".repeat(10), "a".repeat(5)]);
  });

  it("never cuts inside a character, whatever its UTF-8 length", () => {
    // 𠀋 takes 4 bytes (a surrogate pair in JS), ệ takes 3.
    const text = "𠀋".repeat(10) + "ệ".repeat(10);
    const parts = splitText(text, 9);
    expect(parts.join("")).toBe(text);
    for (const part of parts) {
      expect(bytes(part)).toBeLessThanOrEqual(9);
      expect(part).not.toMatch(/\uFFFD/);
    }
  });

  it("loses no words over long mixed text, and every part fits", () => {
    const text = Array.from({ length: 60 }, (_, i) => `Câu số ${i}, có dấu phẩy; và chấm phẩy. 第${i}句话。`).join(" ");
    const parts = splitText(text, 120);
    expect(parts.length).toBeGreaterThan(5);
    expect(squash(parts.join(""))).toBe(squash(text));
    for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(120);
  });

  it("leaves out parts with nothing to speak", () => {
    expect(splitText("... !!! ...", 100)).toEqual([]);
    expect(splitText("Hello. ... . World.", 8)).toEqual(["Hello.", "World."]);
  });
});
