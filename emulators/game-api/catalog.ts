// Real League of Legends ids (champions, items, spells, runes, queues) so that
// synthetic matches read like real ones to code that looks values up.

export const Position = ["TOP", "JUNGLE", "MIDDLE", "BOTTOM", "UTILITY"] as const;
export type Position = (typeof Position)[number];

export interface Champion {
  id: number;
  name: string;
}

const champ = (id: number, name: string): Champion => ({ id, name });

export const championsByPosition: Record<Position, readonly Champion[]> = {
  TOP: [champ(266, "Aatrox"), champ(122, "Darius"), champ(114, "Fiora"), champ(86, "Garen"), champ(150, "Gnar"),
    champ(420, "Illaoi"), champ(39, "Irelia"), champ(24, "Jax"), champ(897, "KSante"), champ(54, "Malphite"),
    champ(516, "Ornn"), champ(58, "Renekton"), champ(92, "Riven"), champ(875, "Sett"), champ(98, "Shen"),
    champ(17, "Teemo"), champ(23, "Tryndamere"), champ(777, "Yone"), champ(164, "Camille"), champ(887, "Gwen")],
  JUNGLE: [champ(32, "Amumu"), champ(60, "Elise"), champ(28, "Evelynn"), champ(104, "Graves"), champ(120, "Hecarim"),
    champ(59, "JarvanIV"), champ(141, "Kayn"), champ(121, "Khazix"), champ(203, "Kindred"), champ(64, "LeeSin"),
    champ(876, "Lillia"), champ(11, "MasterYi"), champ(56, "Nocturne"), champ(421, "RekSai"), champ(113, "Sejuani"),
    champ(35, "Shaco"), champ(254, "Vi"), champ(234, "Viego"), champ(5, "XinZhao"), champ(154, "Zac")],
  MIDDLE: [champ(103, "Ahri"), champ(84, "Akali"), champ(166, "Akshan"), champ(268, "Azir"), champ(245, "Ekko"),
    champ(105, "Fizz"), champ(910, "Hwei"), champ(55, "Katarina"), champ(7, "Leblanc"), champ(90, "Malzahar"),
    champ(61, "Orianna"), champ(246, "Qiyana"), champ(517, "Sylas"), champ(134, "Syndra"), champ(91, "Talon"),
    champ(4, "TwistedFate"), champ(45, "Veigar"), champ(112, "Viktor"), champ(157, "Yasuo"), champ(238, "Zed")],
  BOTTOM: [champ(523, "Aphelios"), champ(22, "Ashe"), champ(51, "Caitlyn"), champ(119, "Draven"), champ(81, "Ezreal"),
    champ(202, "Jhin"), champ(222, "Jinx"), champ(145, "Kaisa"), champ(429, "Kalista"), champ(96, "KogMaw"),
    champ(236, "Lucian"), champ(21, "MissFortune"), champ(895, "Nilah"), champ(360, "Samira"), champ(15, "Sivir"),
    champ(901, "Smolder"), champ(18, "Tristana"), champ(29, "Twitch"), champ(67, "Vayne"), champ(498, "Xayah")],
  UTILITY: [champ(12, "Alistar"), champ(432, "Bard"), champ(53, "Blitzcrank"), champ(63, "Brand"), champ(201, "Braum"),
    champ(40, "Janna"), champ(43, "Karma"), champ(89, "Leona"), champ(117, "Lulu"), champ(99, "Lux"),
    champ(902, "Milio"), champ(25, "Morgana"), champ(267, "Nami"), champ(111, "Nautilus"), champ(555, "Pyke"),
    champ(497, "Rakan"), champ(526, "Rell"), champ(888, "Renata"), champ(147, "Seraphine"), champ(412, "Thresh")],
};

export const allChampions: readonly Champion[] = Object.values(championsByPosition).flat();

/** Legendary items a position tends to finish, boots and trinkets apart. */
export const legendaryItemsByPosition: Record<Position, readonly number[]> = {
  TOP: [3071, 3053, 6333, 3068, 3075, 3143, 3065, 3083, 3742, 6631, 3078, 3748],
  JUNGLE: [3071, 6333, 3053, 3068, 3142, 6692, 3156, 3814, 3074, 3026],
  MIDDLE: [6655, 3089, 3157, 3135, 3165, 4645, 6653, 3116, 4629, 3102, 3100],
  BOTTOM: [3031, 3072, 3036, 3033, 3094, 6672, 3046, 3085, 3508, 3124, 3026],
  UTILITY: [6617, 3107, 3222, 3190, 3109, 3050, 2065, 3504, 4005, 3011],
};

export const bootsItems: readonly number[] = [3006, 3020, 3047, 3111, 3158, 3009];
export const supportQuestItems: readonly number[] = [3869, 3870, 3871, 3876, 3877];
export const starterItems: Record<Position, readonly number[]> = {
  TOP: [1055, 1054, 2003],
  JUNGLE: [1101, 1102, 1103, 2003],
  MIDDLE: [1056, 2003, 2003],
  BOTTOM: [1055, 2003],
  UTILITY: [3865, 2003, 2003],
};
export const componentItems: readonly number[] = [1036, 1037, 1038, 1026, 1058, 1052, 1028, 1029, 1033, 1027, 3067, 3133, 6670, 3113];
export const TRINKET_WARD = 3340;
export const TRINKET_ORACLE = 3364;
export const CONTROL_WARD = 2055;

export const SummonerSpell = { cleanse: 1, exhaust: 3, flash: 4, ghost: 6, heal: 7, smite: 11, teleport: 12, ignite: 14, barrier: 21 } as const;

/** The second summoner spell a position usually takes with Flash. */
export const secondSpellsByPosition: Record<Position, readonly number[]> = {
  TOP: [SummonerSpell.teleport, SummonerSpell.ignite, SummonerSpell.ghost],
  JUNGLE: [SummonerSpell.smite],
  MIDDLE: [SummonerSpell.ignite, SummonerSpell.teleport, SummonerSpell.barrier],
  BOTTOM: [SummonerSpell.heal, SummonerSpell.barrier, SummonerSpell.cleanse],
  UTILITY: [SummonerSpell.ignite, SummonerSpell.exhaust, SummonerSpell.heal],
};

export interface RuneTree {
  style: number;
  /** Keystones, then the three minor rows. */
  rows: readonly (readonly number[])[];
}

export const runeTrees: readonly RuneTree[] = [
  { style: 8000, rows: [[8005, 8008, 8021, 8010], [9101, 9111, 8009], [9104, 9105, 9103], [8014, 8017, 8299]] },
  { style: 8100, rows: [[8112, 8128, 9923], [8126, 8139, 8143], [8136, 8120, 8138], [8135, 8105, 8106]] },
  { style: 8200, rows: [[8214, 8229, 8230], [8224, 8226, 8275], [8210, 8234, 8233], [8237, 8232, 8236]] },
  { style: 8400, rows: [[8437, 8439, 8465], [8446, 8463, 8401], [8429, 8444, 8473], [8451, 8453, 8242]] },
  { style: 8300, rows: [[8351, 8360, 8369], [8306, 8304, 8321], [8313, 8352, 8345], [8347, 8410, 8316]] },
];

export const statPerkRows = {
  offense: [5005, 5008, 5007],
  flex: [5008, 5010, 5001],
  defense: [5011, 5013, 5001],
} as const;

export interface Queue {
  queueId: number;
  /** What `?type=` of match-v5's ids route selects it. */
  type: "ranked" | "normal";
  weight: number;
}

/** Summoner's Rift queues only: every synthetic match is a 5v5 CLASSIC game on map 11. */
export const queues: readonly Queue[] = [
  { queueId: 420, type: "ranked", weight: 55 },
  { queueId: 440, type: "ranked", weight: 15 },
  { queueId: 400, type: "normal", weight: 15 },
  { queueId: 490, type: "normal", weight: 15 },
];

export const gameVersions: readonly string[] = ["14.21.630.3012", "14.22.633.1789", "14.23.636.5481", "14.24.640.1123", "15.1.645.9867"];

export const gameNames: readonly string[] = ["Faker", "Rekkles", "Doublelift", "Caps", "Chovy", "Ruler", "Keria", "Zeus", "Oner",
  "Gumayusi", "Perkz", "Jankos", "Bjergsen", "Sneaky", "Uzi", "ShowMaker", "Canyon", "Deft", "Peanut", "Knight", "Viper", "Bin",
  "Tarzan", "Hylissang", "Upset", "Elyoya", "Humanoid", "Razork", "Mikyx", "Wunder"];
