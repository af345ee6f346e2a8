// Hand-written documents of the sample corpus: guides in Persian and Chinese
// for a few regions, and general FAQ entries (region "vietnam").

interface Written {
  id: string;
  region_id: string;
  title: string;
  text: string;
}

export const translatedGuides: Written[] = [
  { id: "ha-noi-overview-fa", region_id: "ha-noi", title: "راهنمای سفر به هانوی",
    text: "هانوی پایتخت ویتنام است و در شمال این کشور قرار دارد. دریاچه هوآن کیم، معبد ادبیات و محله قدیمی از جاذبه‌های معروف شهر هستند.\n\nبهترین زمان سفر به هانوی پاییز است، از سپتامبر تا نوامبر. حتماً سوپ فو را امتحان کنید." },
  { id: "ho-chi-minh-overview-fa", region_id: "ho-chi-minh", title: "راهنمای سفر به شهر هوشی‌مین",
    text: "شهر هوشی‌مین بزرگ‌ترین شهر ویتنام است و در جنوب کشور قرار دارد. بازار بن تان و تونل‌های کوچی از دیدنی‌های آن هستند. فصل خشک، از دسامبر تا آوریل، بهترین زمان سفر است." },
  { id: "quang-ninh-overview-fa", region_id: "quang-ninh", title: "خلیج هالونگ",
    text: "خلیج هالونگ در استان کوانگ نین با هزاران جزیره آهکی یکی از زیباترین مناظر ویتنام است. گشت دریایی با قایق محبوب‌ترین راه دیدن خلیج است. از هانوی با اتوبوس چند ساعت راه است." },
  { id: "da-nang-overview-fa", region_id: "da-nang", title: "راهنمای سفر به دانانگ",
    text: "دانانگ شهری ساحلی در مرکز ویتنام است. پل اژدها، کوه‌های مرمر و تپه‌های با نا از جاذبه‌های آن هستند. ساحل می‌خه برای شنا مناسب است." },
  { id: "quang-nam-overview-fa", region_id: "quang-nam", title: "شهر باستانی هوی آن",
    text: "شهر باستانی هوی آن در استان کوانگ نام با خانه‌های قدیمی و فانوس‌های رنگی شناخته می‌شود. شب‌ها خیابان‌ها با فانوس روشن می‌شوند. از فرودگاه دانانگ حدود ۴۵ دقیقه راه است." },
  { id: "kien-giang-overview-fa", region_id: "kien-giang", title: "جزیره فوکوک",
    text: "جزیره فوکوک در استان کین جانگ بزرگ‌ترین جزیره ویتنام است. ساحل سائو با شن سفید معروف است. بهترین زمان سفر از نوامبر تا آوریل است." },
  { id: "ha-noi-overview-zh", region_id: "ha-noi", title: "河内旅游指南",
    text: "河内是越南的首都，位于越南北部。还剑湖、文庙和河内老城区是著名的景点。\n\n最佳旅游季节是秋季，九月到十一月。一定要尝尝越南牛肉粉。" },
  { id: "ho-chi-minh-overview-zh", region_id: "ho-chi-minh", title: "胡志明市旅游指南",
    text: "胡志明市是越南最大的城市，位于越南南部。滨城市场、西贡圣母大教堂和古芝地道是热门景点。最佳旅游时间是旱季，十二月到四月。" },
  { id: "quang-ninh-overview-zh", region_id: "quang-ninh", title: "下龙湾旅游",
    text: "下龙湾位于广宁省，有上千座石灰岩岛屿，是越南最美的风景之一。乘船游览是欣赏下龙湾的最佳方式。从河内乘大巴约需几个小时。" },
  { id: "da-nang-overview-zh", region_id: "da-nang", title: "岘港旅游指南",
    text: "岘港是越南中部的海滨城市。龙桥、五行山和巴拿山是著名景点。美溪海滩适合游泳。" },
  { id: "quang-nam-overview-zh", region_id: "quang-nam", title: "会安古镇",
    text: "会安古镇位于广南省，以古老的房屋和彩色灯笼闻名。晚上街道被灯笼照亮。从岘港机场开车约四十五分钟。" },
  { id: "kien-giang-overview-zh", region_id: "kien-giang", title: "富国岛旅游",
    text: "富国岛位于坚江省，是越南最大的岛屿。星星海滩以白沙闻名。最佳旅游时间是十一月到四月。" },
];

export const generalFaq: Written[] = [
  { id: "faq-visa-vi", region_id: "vietnam", title: "Thị thực khi du lịch Việt Nam",
    text: "Nhiều du khách quốc tế có thể xin thị thực điện tử (e-visa) trực tuyến trước chuyến đi. Quy định thay đổi theo quốc tịch, vì vậy hãy kiểm tra thông tin chính thức mới nhất trước khi đặt vé." },
  { id: "faq-visa-en", region_id: "vietnam", title: "Visas for Vietnam",
    text: "Many international travellers can apply for an electronic visa (e-visa) online before the trip. The rules depend on your nationality, so check the latest official information before booking." },
  { id: "faq-currency-vi", region_id: "vietnam", title: "Tiền tệ và thanh toán ở Việt Nam",
    text: "Đơn vị tiền tệ của Việt Nam là đồng (VND). Thẻ ngân hàng được chấp nhận ở khách sạn và nhà hàng lớn, nhưng chợ và quán nhỏ thường chỉ nhận tiền mặt. Máy ATM có ở hầu hết các thành phố." },
  { id: "faq-currency-en", region_id: "vietnam", title: "Money and payments in Vietnam",
    text: "The currency of Vietnam is the dong (VND). Cards are accepted in hotels and larger restaurants, but markets and small shops usually take cash only. ATMs are available in most cities." },
  { id: "faq-emergency-vi", region_id: "vietnam", title: "Số điện thoại khẩn cấp ở Việt Nam",
    text: "Ở Việt Nam, gọi 113 cho công an, 114 cho cứu hỏa và 115 cho cấp cứu y tế." },
  { id: "faq-emergency-en", region_id: "vietnam", title: "Emergency numbers in Vietnam",
    text: "In Vietnam, call 113 for the police, 114 for the fire service and 115 for an ambulance." },
  { id: "faq-sim-vi", region_id: "vietnam", title: "SIM điện thoại và internet",
    text: "Du khách có thể mua SIM du lịch có dữ liệu di động tại sân bay hoặc cửa hàng của nhà mạng; cần mang theo hộ chiếu để đăng ký." },
  { id: "faq-sim-en", region_id: "vietnam", title: "SIM cards and mobile data",
    text: "Visitors can buy a tourist SIM card with mobile data at the airport or at a carrier's shop; bring your passport to register it." },
  { id: "faq-traffic-vi", region_id: "vietnam", title: "An toàn giao thông",
    text: "Khi băng qua đường, hãy đi chậm và đều để xe máy dễ tránh. Luôn đội mũ bảo hiểm khi đi xe máy." },
  { id: "faq-traffic-en", region_id: "vietnam", title: "Road safety",
    text: "When crossing the street, walk slowly and steadily so that motorbikes can go around you. Always wear a helmet on a motorbike." },
  { id: "faq-currency-fa", region_id: "vietnam", title: "واحد پول ویتنام",
    text: "واحد پول ویتنام دونگ است. در بازارها و مغازه‌های کوچک معمولاً فقط پول نقد پذیرفته می‌شود." },
  { id: "faq-emergency-zh", region_id: "vietnam", title: "越南紧急电话",
    text: "在越南，报警电话是113，火警电话是114，急救电话是115。" },
];
