// The sample corpus the ingest stand-in serves: short travel guides and FAQ
// entries for real Vietnamese provinces and cities, in Vietnamese and English,
// with a few in Persian and Chinese. Generated from templates, deterministic:
// the same documents, ids and timestamps on every start. Nothing here is
// authoritative travel advice.
import { regions, type Region } from "./regions.ts";
import { generalFaq, translatedGuides } from "./translations.ts";

export interface CorpusDocument {
  id: string;
  region_id: string;
  title: string;
  text: string;
  /** ISO 8601. */
  updated_at: string;
  deleted?: boolean;
}

/** Sample documents were "last changed" an hour apart from here on. */
const EPOCH = Date.UTC(2025, 0, 1);

type Draft = Omit<CorpusDocument, "updated_at">;

function regionDrafts(g: Region): Draft[] {
  const [s1, s2, s3] = g.sights as [Region["sights"][0], Region["sights"][0], Region["sights"][0]];
  const [d1, d2] = g.dishes as [Region["dishes"][0], Region["dishes"][0]];
  const drafts: Draft[] = [
    {
      id: `${g.id}-overview-vi`, region_id: g.id, title: `Giới thiệu du lịch ${g.vi}`,
      text: `${g.vi} là một điểm đến nổi tiếng của ${g.areaVi} Việt Nam. Du khách thường ghé thăm ${s1.vi}, ${s2.vi} và ${s3.vi}.\n\n` +
        `Ẩm thực ${g.vi} có nhiều món ngon, nổi bật là ${d1.vi} và ${d2.vi}. Thời điểm đẹp nhất để đến ${g.vi} là ${g.seasonVi}.\n\n` +
        `Cách thuận tiện nhất để đến ${g.vi} là qua ${g.arrivalVi}. Nên đặt phòng khách sạn sớm vào dịp lễ và cuối tuần.`,
    },
    {
      id: `${g.id}-overview-en`, region_id: g.id, title: `${g.en} travel guide`,
      text: `${g.en} is a popular destination in ${g.areaEn}. Visitors usually see ${s1.en}, ${s2.en} and ${s3.en}.\n\n` +
        `The local food is a highlight: try ${d1.en} and ${d2.en}. The best time to visit ${g.en} is ${g.seasonEn}.\n\n` +
        `The easiest way to get there is via ${g.arrivalEn}. Book hotels early for holidays and weekends.`,
    },
  ];
  g.sights.forEach((s, i) => {
    drafts.push(
      {
        id: `${g.id}-sight-${i + 1}-vi`, region_id: g.id, title: `${s.vi} (${g.vi})`,
        text: `${s.vi} là một trong những địa điểm tham quan nổi bật nhất ở ${g.vi}. Nên đến vào buổi sáng sớm để tránh đông người và nắng gắt. ` +
          `Hãy mang theo nước uống, mặc trang phục thoải mái và hỏi giờ mở cửa trước khi đi. Từ trung tâm có thể đi taxi, xe máy hoặc xe buýt du lịch.`,
      },
      {
        id: `${g.id}-sight-${i + 1}-en`, region_id: g.id, title: `${s.en} (${g.en})`,
        text: `${s.en} is one of the top sights in ${g.en}. Go early in the morning to avoid crowds and the midday heat. ` +
          `Bring water, wear comfortable clothes and check the opening hours before you go. From the centre you can take a taxi, a motorbike or a tour bus.`,
      },
    );
  });
  drafts.push(
    {
      id: `${g.id}-food-vi`, region_id: g.id, title: `Đặc sản ${g.vi} nên thử`,
      text: `Đến ${g.vi}, đừng bỏ lỡ ${d1.vi} và ${d2.vi}. Các quán địa phương thường đông khách vào buổi sáng và buổi tối. Giá cả ở chợ và quán vỉa hè thường rẻ hơn nhà hàng.`,
    },
    {
      id: `${g.id}-food-en`, region_id: g.id, title: `What to eat in ${g.en}`,
      text: `In ${g.en}, do not miss ${d1.en} and ${d2.en}. Local eateries are busiest in the morning and the evening. Markets and street stalls are usually cheaper than restaurants.`,
    },
    {
      id: `${g.id}-weather-vi`, region_id: g.id, title: `Thời tiết và mùa du lịch ở ${g.vi}`,
      text: `Thời điểm lý tưởng để du lịch ${g.vi} là ${g.seasonVi}. Hãy xem dự báo thời tiết trước chuyến đi và chuẩn bị áo mưa hoặc áo khoác tùy mùa.`,
    },
    {
      id: `${g.id}-weather-en`, region_id: g.id, title: `Weather and when to visit ${g.en}`,
      text: `The best time to travel to ${g.en} is ${g.seasonEn}. Check the forecast before your trip and pack a raincoat or a jacket depending on the season.`,
    },
    {
      id: `${g.id}-transport-vi`, region_id: g.id, title: `Cách di chuyển đến ${g.vi}`,
      text: `Du khách có thể đến ${g.vi} qua ${g.arrivalVi}. Khi đã đến nơi, taxi, xe ôm công nghệ và xe máy thuê là những cách đi lại phổ biến.`,
    },
    {
      id: `${g.id}-transport-en`, region_id: g.id, title: `Getting to ${g.en}`,
      text: `Travellers reach ${g.en} via ${g.arrivalEn}. Once there, taxis, ride-hailing motorbikes and rented scooters are the usual ways to get around.`,
    },
    {
      id: `${g.id}-faq-vi`, region_id: g.id, title: `Câu hỏi thường gặp khi du lịch ${g.vi}`,
      text: `Hỏi: ${g.vi} có gì nổi tiếng? Đáp: ${s1.vi}, ${s2.vi} và các món như ${d1.vi}.\n\n` +
        `Hỏi: Nên đi ${g.vi} vào mùa nào? Đáp: ${capitalise(g.seasonVi)}.\n\n` +
        `Hỏi: Đi đến ${g.vi} bằng cách nào? Đáp: Qua ${g.arrivalVi}.`,
    },
    {
      id: `${g.id}-faq-en`, region_id: g.id, title: `${g.en} travel FAQ`,
      text: `Q: What is ${g.en} famous for? A: ${s1.en}, ${s2.en} and dishes such as ${d1.en}.\n\n` +
        `Q: When should I go to ${g.en}? A: ${capitalise(g.seasonEn)}.\n\n` +
        `Q: How do I get to ${g.en}? A: Via ${g.arrivalEn}.`,
    },
  );
  drafts.push(
    {
      id: `${g.id}-itinerary-vi`, region_id: g.id, title: `Lịch trình 3 ngày khám phá ${g.vi}`,
      text: `Ngày thứ nhất: buổi sáng tham quan ${s1.vi}, buổi trưa thưởng thức ${d1.vi} ở một quán địa phương. Buổi chiều đi dạo, nghỉ ngơi và chụp ảnh. Buổi tối tìm hiểu chợ đêm và các món ăn vặt.\n\n` +
        `Ngày thứ hai: dành cả ngày cho ${s2.vi}. Nên khởi hành sớm, mang theo nước, mũ và kem chống nắng. Buổi tối thử ${d2.vi} và các đặc sản khác của ${g.vi}.\n\n` +
        `Ngày thứ ba: ghé ${s3.vi} rồi mua quà lưu niệm trước khi về. Nếu còn thời gian, hãy trò chuyện với người dân địa phương để hiểu thêm về văn hóa vùng đất này.\n\n` +
        `Mẹo: thời điểm đẹp nhất là ${g.seasonVi}. Đặt vé và phòng sớm, luôn mang theo giấy tờ tùy thân và một ít tiền mặt. Đến ${g.vi} thuận tiện nhất qua ${g.arrivalVi}.\n\n` +
        `Chỗ ở: khu trung tâm có nhiều khách sạn, nhà nghỉ và homestay với mức giá khác nhau. Chọn nơi gần các điểm tham quan chính để tiết kiệm thời gian đi lại, và đọc đánh giá của khách trước khi đặt.`,
    },
    {
      id: `${g.id}-itinerary-en`, region_id: g.id, title: `Three days in ${g.en}: an itinerary`,
      text: `Day one: visit ${s1.en} in the morning and have ${d1.en} for lunch at a local eatery. Spend the afternoon walking and taking photos, and the evening at a night market tasting snacks.\n\n` +
        `Day two: give the whole day to ${s2.en}. Leave early and bring water, a hat and sunscreen. In the evening try ${d2.en} and other specialities of ${g.en}.\n\n` +
        `Day three: see ${s3.en}, then shop for souvenirs before you leave. If there is time left, talk with local people to learn more about the culture of the area.\n\n` +
        `Tips: the best season is ${g.seasonEn}. Book tickets and rooms early, and always carry your ID and some cash. The easiest way in is via ${g.arrivalEn}.\n\n` +
        `Where to stay: the centre has hotels, guesthouses and homestays at every price. Stay close to the main sights to save travel time, and read guest reviews before you book.`,
    },
  );
  return drafts;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The sample corpus: every region's guides, the translated ones, and the general FAQ. */
export function sampleCorpus(): CorpusDocument[] {
  const drafts = [...regions.flatMap(regionDrafts), ...translatedGuides, ...generalFaq];
  return drafts.map((d, i) => ({ ...d, updated_at: new Date(EPOCH + i * 3_600_000).toISOString() }));
}

/** `count` documents for benchmarks: the sample corpus repeated under new ids. */
export function syntheticCorpus(count: number): CorpusDocument[] {
  const sample = sampleCorpus();
  return Array.from({ length: count }, (_, i) => {
    const base = sample[i % sample.length]!;
    const round = Math.floor(i / sample.length);
    return { ...base, id: round === 0 ? base.id : `${base.id}~${round}`, updated_at: new Date(EPOCH + i * 1000).toISOString() };
  });
}
