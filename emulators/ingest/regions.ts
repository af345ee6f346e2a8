// Real Vietnamese provinces and cities, with a few of their best-known sights
// and dishes: the raw material the sample corpus is generated from.
export interface Region {
  /** The region id documents carry. */
  id: string;
  vi: string;
  en: string;
  areaVi: string;
  areaEn: string;
  sights: { vi: string; en: string }[];
  dishes: { vi: string; en: string }[];
  seasonVi: string;
  seasonEn: string;
  arrivalVi: string;
  arrivalEn: string;
}

const r = (
  id: string, vi: string, en: string, area: [string, string], sights: [string, string][], dishes: [string, string][],
  season: [string, string], arrival: [string, string],
): Region => ({
  id, vi, en, areaVi: area[0], areaEn: area[1],
  sights: sights.map(([sv, se]) => ({ vi: sv, en: se })), dishes: dishes.map(([dv, de]) => ({ vi: dv, en: de })),
  seasonVi: season[0], seasonEn: season[1], arrivalVi: arrival[0], arrivalEn: arrival[1],
});

const NORTH: [string, string] = ["miền Bắc", "northern Vietnam"];
const CENTRE: [string, string] = ["miền Trung", "central Vietnam"];
const SOUTH: [string, string] = ["miền Nam", "southern Vietnam"];
const NORTHWEST: [string, string] = ["vùng núi phía Bắc", "the northern mountains"];
const HIGHLANDS: [string, string] = ["Tây Nguyên", "the Central Highlands"];
const DELTA: [string, string] = ["đồng bằng sông Cửu Long", "the Mekong Delta"];

export const regions: Region[] = [
  r("ha-noi", "Hà Nội", "Hanoi", NORTH, [["Hồ Hoàn Kiếm", "Hoan Kiem Lake"], ["Văn Miếu - Quốc Tử Giám", "the Temple of Literature"], ["Phố cổ Hà Nội", "the Hanoi Old Quarter"]],
    [["phở bò", "beef pho"], ["bún chả", "bun cha"]], ["mùa thu, từ tháng 9 đến tháng 11", "autumn, from September to November"], ["sân bay quốc tế Nội Bài", "Noi Bai International Airport"]),
  r("ho-chi-minh", "Thành phố Hồ Chí Minh", "Ho Chi Minh City", SOUTH, [["Chợ Bến Thành", "Ben Thanh Market"], ["Nhà thờ Đức Bà", "Notre-Dame Cathedral Basilica of Saigon"], ["Địa đạo Củ Chi", "the Cu Chi Tunnels"]],
    [["cơm tấm", "broken rice"], ["bánh mì", "banh mi"]], ["mùa khô, từ tháng 12 đến tháng 4", "the dry season, from December to April"], ["sân bay quốc tế Tân Sơn Nhất", "Tan Son Nhat International Airport"]),
  r("quang-ninh", "Quảng Ninh", "Quang Ninh", NORTH, [["Vịnh Hạ Long", "Ha Long Bay"], ["Khu danh thắng Yên Tử", "Yen Tu mountain"], ["Đảo Cô Tô", "Co To island"]],
    [["chả mực Hạ Long", "Ha Long squid cakes"], ["sá sùng", "peanut worms"]], ["tháng 4 đến tháng 10", "April to October"], ["sân bay quốc tế Vân Đồn hoặc xe khách từ Hà Nội", "Van Don International Airport or a coach from Hanoi"]),
  r("da-nang", "Đà Nẵng", "Da Nang", CENTRE, [["Bà Nà Hills", "Ba Na Hills"], ["Cầu Rồng", "the Dragon Bridge"], ["Ngũ Hành Sơn", "the Marble Mountains"]],
    [["mì Quảng", "mi Quang noodles"], ["bánh tráng cuốn thịt heo", "pork rice-paper rolls"]], ["tháng 2 đến tháng 8", "February to August"], ["sân bay quốc tế Đà Nẵng", "Da Nang International Airport"]),
  r("quang-nam", "Quảng Nam", "Quang Nam", CENTRE, [["Phố cổ Hội An", "Hoi An Ancient Town"], ["Thánh địa Mỹ Sơn", "My Son Sanctuary"], ["Cù Lao Chàm", "the Cham Islands"]],
    [["cao lầu", "cao lau noodles"], ["cơm gà Hội An", "Hoi An chicken rice"]], ["tháng 2 đến tháng 4", "February to April"], ["sân bay Đà Nẵng rồi đi xe khoảng 45 phút", "Da Nang airport, then about 45 minutes by car"]),
  r("thua-thien-hue", "Thừa Thiên Huế", "Hue", CENTRE, [["Đại Nội Huế", "the Imperial City of Hue"], ["Chùa Thiên Mụ", "Thien Mu Pagoda"], ["Lăng Tự Đức", "the Tomb of Tu Duc"]],
    [["bún bò Huế", "bun bo Hue"], ["bánh khoái", "banh khoai pancakes"]], ["tháng 1 đến tháng 4", "January to April"], ["sân bay quốc tế Phú Bài hoặc tàu hỏa Thống Nhất", "Phu Bai International Airport or the Reunification Express train"]),
  r("lao-cai", "Lào Cai", "Lao Cai", NORTHWEST, [["Thị xã Sa Pa", "Sa Pa town"], ["Đỉnh Fansipan", "Fansipan peak"], ["Chợ phiên Bắc Hà", "Bac Ha market"]],
    [["thắng cố", "thang co stew"], ["cá hồi Sa Pa", "Sa Pa salmon"]], ["tháng 9 đến tháng 11, mùa lúa chín", "September to November, when the rice terraces ripen"], ["tàu đêm hoặc xe khách từ Hà Nội theo cao tốc Nội Bài - Lào Cai", "the night train or a coach from Hanoi on the Noi Bai - Lao Cai expressway"]),
  r("khanh-hoa", "Khánh Hòa", "Khanh Hoa", CENTRE, [["Bãi biển Nha Trang", "Nha Trang beach"], ["Tháp Bà Ponagar", "the Po Nagar Cham Towers"], ["Vịnh Vân Phong", "Van Phong Bay"]],
    [["bún chả cá Nha Trang", "Nha Trang fish cake noodles"], ["nem nướng Ninh Hòa", "Ninh Hoa grilled pork rolls"]], ["tháng 1 đến tháng 8", "January to August"], ["sân bay quốc tế Cam Ranh", "Cam Ranh International Airport"]),
  r("lam-dong", "Lâm Đồng", "Lam Dong", HIGHLANDS, [["Thành phố Đà Lạt", "Da Lat city"], ["Hồ Xuân Hương", "Xuan Huong Lake"], ["Thác Datanla", "Datanla waterfall"]],
    [["bánh tráng nướng", "grilled rice paper"], ["lẩu gà lá é", "chicken hotpot with e leaves"]], ["tháng 11 đến tháng 3", "November to March"], ["sân bay Liên Khương", "Lien Khuong airport"]),
  r("kien-giang", "Kiên Giang", "Kien Giang", DELTA, [["Đảo Phú Quốc", "Phu Quoc island"], ["Bãi Sao", "Sao Beach"], ["Quần đảo Nam Du", "the Nam Du islands"]],
    [["gỏi cá trích", "herring salad"], ["bún kèn", "bun ken noodles"]], ["tháng 11 đến tháng 4", "November to April"], ["sân bay quốc tế Phú Quốc", "Phu Quoc International Airport"]),
  r("ninh-binh", "Ninh Bình", "Ninh Binh", NORTH, [["Quần thể danh thắng Tràng An", "the Trang An landscape complex"], ["Tam Cốc - Bích Động", "Tam Coc"], ["Chùa Bái Đính", "Bai Dinh Pagoda"]],
    [["cơm cháy", "crispy rice"], ["thịt dê núi", "mountain goat"]], ["tháng 5 đến tháng 6, mùa lúa chín ở Tam Cốc", "May to June, when the rice ripens at Tam Coc"], ["tàu hỏa hoặc xe khách từ Hà Nội, khoảng 2 giờ", "train or coach from Hanoi, about two hours"]),
  r("quang-binh", "Quảng Bình", "Quang Binh", CENTRE, [["Vườn quốc gia Phong Nha - Kẻ Bàng", "Phong Nha - Ke Bang National Park"], ["Hang Sơn Đoòng", "Son Doong cave"], ["Động Thiên Đường", "Paradise Cave"]],
    [["cháo canh", "chao canh noodle soup"], ["bánh bột lọc", "tapioca dumplings"]], ["tháng 3 đến tháng 8", "March to August"], ["sân bay Đồng Hới", "Dong Hoi airport"]),
  r("can-tho", "Cần Thơ", "Can Tho", DELTA, [["Chợ nổi Cái Răng", "Cai Rang floating market"], ["Bến Ninh Kiều", "Ninh Kieu wharf"], ["Nhà cổ Bình Thủy", "the Binh Thuy ancient house"]],
    [["lẩu mắm", "fermented fish hotpot"], ["bánh xèo", "sizzling pancakes"]], ["tháng 9 đến tháng 11, mùa nước nổi", "September to November, the flood season"], ["sân bay quốc tế Cần Thơ hoặc xe khách từ Thành phố Hồ Chí Minh", "Can Tho International Airport or a coach from Ho Chi Minh City"]),
  r("ha-giang", "Hà Giang", "Ha Giang", NORTHWEST, [["Cao nguyên đá Đồng Văn", "the Dong Van Karst Plateau"], ["Đèo Mã Pí Lèng", "Ma Pi Leng pass"], ["Cột cờ Lũng Cú", "the Lung Cu flag tower"]],
    [["cháo ấu tẩu", "au tau porridge"], ["bánh cuốn trứng", "egg rice rolls"]], ["tháng 10 đến tháng 11, mùa hoa tam giác mạch", "October to November, when the buckwheat flowers bloom"], ["xe khách giường nằm từ Hà Nội", "a sleeper bus from Hanoi"]),
  r("binh-thuan", "Bình Thuận", "Binh Thuan", SOUTH, [["Mũi Né", "Mui Ne"], ["Đồi cát bay", "the Mui Ne sand dunes"], ["Hải đăng Kê Gà", "Ke Ga lighthouse"]],
    [["bánh căn", "banh can"], ["lẩu thả Phan Thiết", "Phan Thiet fish salad"]], ["tháng 11 đến tháng 4", "November to April"], ["tàu hỏa hoặc cao tốc từ Thành phố Hồ Chí Minh", "train or the expressway from Ho Chi Minh City"]),
  r("hai-phong", "Hải Phòng", "Hai Phong", NORTH, [["Đảo Cát Bà", "Cat Ba island"], ["Vịnh Lan Hạ", "Lan Ha Bay"], ["Bãi biển Đồ Sơn", "Do Son beach"]],
    [["bánh đa cua", "crab noodle soup"], ["nem cua bể", "sea crab spring rolls"]], ["tháng 4 đến tháng 9", "April to September"], ["sân bay quốc tế Cát Bi", "Cat Bi International Airport"]),
  r("ba-ria-vung-tau", "Bà Rịa - Vũng Tàu", "Ba Ria - Vung Tau", SOUTH, [["Tượng Chúa Kitô Vua", "the Christ of Vung Tau statue"], ["Côn Đảo", "the Con Dao islands"], ["Bãi Sau", "Back Beach"]],
    [["bánh khọt", "banh khot"], ["lẩu cá đuối", "stingray hotpot"]], ["tháng 11 đến tháng 4", "November to April"], ["tàu cao tốc hoặc xe khách từ Thành phố Hồ Chí Minh", "a fast boat or a coach from Ho Chi Minh City"]),
  r("an-giang", "An Giang", "An Giang", DELTA, [["Rừng tràm Trà Sư", "Tra Su cajuput forest"], ["Núi Sam", "Sam Mountain"], ["Chợ Châu Đốc", "Chau Doc market"]],
    [["bún cá Châu Đốc", "Chau Doc fish noodles"], ["mắm Châu Đốc", "Chau Doc fermented fish"]], ["tháng 9 đến tháng 11, mùa nước nổi", "September to November, the flood season"], ["xe khách từ Thành phố Hồ Chí Minh hoặc Cần Thơ", "a coach from Ho Chi Minh City or Can Tho"]),
  r("cao-bang", "Cao Bằng", "Cao Bang", NORTHWEST, [["Thác Bản Giốc", "Ban Gioc waterfall"], ["Động Ngườm Ngao", "Nguom Ngao cave"], ["Khu di tích Pác Bó", "the Pac Bo historical site"]],
    [["bánh cuốn Cao Bằng", "Cao Bang rice rolls"], ["vịt quay bảy vị", "seven-spice roast duck"]], ["tháng 8 đến tháng 10", "August to October"], ["xe khách từ Hà Nội, khoảng 7 giờ", "a coach from Hanoi, about seven hours"]),
  r("dien-bien", "Điện Biên", "Dien Bien", NORTHWEST, [["Đồi A1", "Hill A1"], ["Bảo tàng Chiến thắng Điện Biên Phủ", "the Dien Bien Phu Victory Museum"], ["Hồ Pá Khoang", "Pa Khoang lake"]],
    [["xôi nếp nương", "upland sticky rice"], ["cá suối nướng", "grilled stream fish"]], ["tháng 3, mùa hoa ban", "March, when the bauhinia flowers bloom"], ["sân bay Điện Biên Phủ", "Dien Bien Phu airport"]),
];
