import { describe, expect, it } from "vitest";
import { HashingEmbedder } from "./embedder.ts";
import { normaliseText, tokenise } from "./normalise.ts";

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
const norm = (a: number[]) => Math.sqrt(a.reduce((sum, x) => sum + x * x, 0));

describe("HashingEmbedder", () => {
  const embedder = new HashingEmbedder();

  it("makes L2-normalised vectors of the configured size, the same every time", async () => {
    const [a, b] = await embedder.embed(["Vịnh Hạ Long ở Quảng Ninh", "Vịnh Hạ Long ở Quảng Ninh"], "passage");
    expect(a).toHaveLength(384);
    expect(norm(a!)).toBeCloseTo(1, 10);
    expect(b).toEqual(a);
    expect(new HashingEmbedder({ dimension: 64 }).vector("x")).toHaveLength(64);
    // A fresh instance (another process) agrees.
    expect(new HashingEmbedder().vector("Vịnh Hạ Long ở Quảng Ninh")).toEqual(a);
  });

  it("puts similar texts closer than unrelated ones, in each language", () => {
    const v = (t: string) => embedder.vector(t);
    const pairs: [string, string, string][] = [
      ["Hồ Hoàn Kiếm nằm ở trung tâm Hà Nội", "Du lịch Hà Nội: Hồ Hoàn Kiếm và phố cổ", "Bãi biển Nha Trang có cát trắng và nước trong"],
      ["Ha Long Bay cruise from Hanoi", "A boat cruise on Ha Long Bay", "Emergency numbers: call 115 for an ambulance"],
      ["دریاچه هوآن کیم در هانوی", "راهنمای سفر به هانوی و دریاچه هوآن کیم", "جزیره فوکوک ساحل سفید دارد"],
      ["河内的还剑湖", "还剑湖是河内著名的景点", "富国岛的星星海滩"],
    ];
    for (const [query, related, unrelated] of pairs) {
      expect(cosine(v(query), v(related))).toBeGreaterThan(cosine(v(query), v(unrelated)) + 0.1);
    }
  });

  it("matches Vietnamese typed without diacritics, and Persian letter variants", () => {
    const v = (t: string) => embedder.vector(t);
    expect(cosine(v("ha noi pho co"), v("Phố cổ Hà Nội"))).toBeGreaterThan(cosine(v("ha noi pho co"), v("Phú Quốc đảo ngọc")) + 0.1);
    // Arabic yeh/kaf and a ZWNJ against the Persian forms without it.
    expect(cosine(v("مي\u200Cروم كتاب"), v("میروم کتاب"))).toBeCloseTo(1, 6);
  });

  it("gives empty and punctuation-only text a unit vector", () => {
    expect(norm(embedder.vector(""))).toBeCloseTo(1, 10);
    expect(norm(embedder.vector("?!…"))).toBeCloseTo(1, 10);
  });
});

describe("normalisation and tokens", () => {
  it("applies NFKC and lower case, unifies Persian digits and letters", () => {
    expect(normaliseText("ＨÀ NỘI")).toBe("hà nội");
    expect(normaliseText("۴۵ دقيقه")).toBe("45 دقیقه");
  });

  it("finds words in Vietnamese, Persian and Chinese", () => {
    expect(tokenise(normaliseText("Phố cổ Hà Nội, đẹp!"))).toEqual(["phố", "cổ", "hà", "nội", "đẹp"]);
    expect(tokenise("دریاچه هوآن کیم")).toEqual(["دریاچه", "هوآن", "کیم"]);
    // ICU splits Chinese by dictionary: more than one token, none of them punctuation.
    const zh = tokenise("河内是越南的首都。");
    expect(zh.length).toBeGreaterThan(2);
    expect(zh.join("")).toBe("河内是越南的首都");
  });
});
