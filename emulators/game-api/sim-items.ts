// What one player bought and ended the game holding: item0..item6 for the match
// details and the ITEM_PURCHASED events for the timeline, from the same draws.
import {
  bootsItems, componentItems, CONTROL_WARD, legendaryItemsByPosition, starterItems, supportQuestItems,
  TRINKET_ORACLE, TRINKET_WARD, type Position,
} from "./catalog.ts";
import type { Random } from "./seeded-random.ts";

export interface Purchase {
  timestamp: number;
  itemId: number;
}

export interface ItemBuild {
  /** item0..item5 then the trinket in item6; 0 is an empty slot. */
  items: number[];
  purchases: Purchase[];
  consumablesPurchased: number;
  visionWardsBought: number;
}

const MINUTE = 60_000;

export function simulateBuild(random: Random, position: Position, goldSpent: number, durationMs: number): ItemBuild {
  const purchases: Purchase[] = [{ timestamp: random.int(800, 3000), itemId: TRINKET_WARD }];
  for (const itemId of starterItems[position]) purchases.push({ timestamp: random.int(3000, 20_000), itemId });

  const isSupport = position === "UTILITY";
  const spendable = goldSpent - (isSupport ? 400 : 450) - 1100;
  const legendaryCount = Math.max(0, Math.min(isSupport ? 4 : 5, Math.floor(spendable / (isSupport ? 2600 : 3000))));
  const legendaries = random.sample(legendaryItemsByPosition[position], legendaryCount);
  const hasBoots = goldSpent > 2_500;
  const finals: number[] = [...legendaries];
  if (hasBoots) finals.splice(Math.min(1, finals.length), 0, random.pick(bootsItems));
  if (isSupport) finals.unshift(random.pick(supportQuestItems));

  // Completed items arrive from 7 minutes to a minute before the end, each after
  // two of its components.
  const first = 7 * MINUTE;
  const span = Math.max(MINUTE, durationMs - MINUTE - first);
  finals.forEach((itemId, i) => {
    const done = first + Math.floor((span * (i + 0.5 + (random.next() - 0.5) * 0.6)) / Math.max(1, finals.length));
    purchases.push({ timestamp: done - random.int(90_000, 150_000), itemId: random.pick(componentItems) });
    purchases.push({ timestamp: done - random.int(20_000, 80_000), itemId: random.pick(componentItems) });
    purchases.push({ timestamp: done, itemId });
  });

  const swapsToOracle = position === "JUNGLE" || isSupport || random.chance(0.3);
  if (swapsToOracle) purchases.push({ timestamp: random.int(8 * MINUTE, 16 * MINUTE), itemId: TRINKET_ORACLE });
  const visionWardsBought = isSupport ? random.int(4, 12) : position === "JUNGLE" ? random.int(2, 7) : random.int(0, 3);
  for (let i = 0; i < visionWardsBought; i++) purchases.push({ timestamp: random.int(4 * MINUTE, durationMs - 30_000), itemId: CONTROL_WARD });
  const potions = random.int(1, 4);
  for (let i = 0; i < potions; i++) purchases.push({ timestamp: random.int(3 * MINUTE, 15 * MINUTE), itemId: 2003 });

  const slots = [...finals.slice(0, 6)];
  if (slots.length < 6 && visionWardsBought > 0) slots.push(CONTROL_WARD);
  while (slots.length < 6) slots.push(0);
  const items = [...random.sample(slots, 6), swapsToOracle ? TRINKET_ORACLE : TRINKET_WARD];

  return {
    items,
    purchases: purchases.map((p) => ({ ...p, timestamp: Math.max(0, p.timestamp) })).sort((a, b) => a.timestamp - b.timestamp),
    consumablesPurchased: potions + visionWardsBought + (starterItems[position].includes(2003) ? 1 : 0),
    visionWardsBought,
  };
}
