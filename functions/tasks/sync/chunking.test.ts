import { describe, expect, it } from "vitest";
import { chunkText } from "./chunking.ts";

const sentence = (n: number) => `Câu số ${n} nói về Vịnh Hạ Long và những hòn đảo đá vôi tuyệt đẹp.`;
const paragraphs = (count: number, perParagraph: number) =>
  Array.from({ length: count }, (_, p) => Array.from({ length: perParagraph }, (_, s) => sentence(p * perParagraph + s)).join(" ")).join("\n\n");

describe("chunkText", () => {
  it("keeps a short text as one chunk, and gives nothing for blank text", () => {
    expect(chunkText("Hồ Hoàn Kiếm ở Hà Nội.")).toEqual(["Hồ Hoàn Kiếm ở Hà Nội."]);
    expect(chunkText("  \n\n ")).toEqual([]);
  });

  it("packs sentences up to the size, never over it, in order, every sentence kept", () => {
    const text = paragraphs(6, 5);
    const chunks = chunkText(text, { maxChars: 300, overlapChars: 60 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(300);
    const joined = chunks.join(" ");
    for (let n = 0; n < 30; n += 1) expect(joined).toContain(sentence(n));
    // Order: each sentence's first appearance comes after the one before.
    const firsts = Array.from({ length: 30 }, (_, n) => joined.indexOf(sentence(n)));
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
  });

  it("opens each chunk with the end of the previous one (overlap)", () => {
    const chunks = chunkText(paragraphs(4, 5), { maxChars: 300, overlapChars: 60 });
    for (let i = 1; i < chunks.length; i += 1) {
      const head = chunks[i]!.slice(0, 20);
      expect(chunks[i - 1]).toContain(head);
    }
    const without = chunkText(paragraphs(4, 5), { maxChars: 300, overlapChars: 0 });
    expect(without.join(" ").length).toBeLessThan(chunks.join(" ").length);
  });

  it("splits a sentence longer than a chunk between words, and unspaced Chinese anywhere", () => {
    const long = Array.from({ length: 120 }, (_, i) => `word${i}`).join(" ");
    const chunks = chunkText(long, { maxChars: 100, overlapChars: 0 });
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(100);
      expect(chunk).toMatch(/^word\d+( word\d+)*$/);
    }
    const chinese = "河内是越南的首都位于越南北部还剑湖和老城区是著名的景点".repeat(20);
    const zh = chunkText(chinese, { maxChars: 80, overlapChars: 10 });
    for (const chunk of zh) expect(chunk.length).toBeLessThanOrEqual(80);
    expect(zh.join("").replaceAll(/\s/g, "").length).toBeGreaterThanOrEqual(chinese.length);
  });

  it("cuts Chinese and Persian text at their own sentence ends", () => {
    const zh = chunkText("河内是越南的首都。还剑湖是著名的景点。最佳旅游季节是秋季。".repeat(4), { maxChars: 40, overlapChars: 0 });
    for (const chunk of zh) expect(chunk.endsWith("。")).toBe(true);
    const fa = chunkText("هانوی پایتخت ویتنام است. دریاچه هوآن کیم معروف است. بهترین زمان سفر پاییز است؟ ".repeat(3), { maxChars: 60, overlapChars: 0 });
    for (const chunk of fa) expect(chunk).toMatch(/[.؟]$/);
  });

  it("is deterministic", () => {
    const text = paragraphs(5, 4);
    expect(chunkText(text, { maxChars: 250, overlapChars: 50 })).toEqual(chunkText(text, { maxChars: 250, overlapChars: 50 }));
  });
});
