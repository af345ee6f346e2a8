// Riot platform regions (where a player's account lives) and the regional
// routing values match-v5 is served from. The one place that maps one to the other.
import { z } from "zod";

export const PlatformRegion = [
  "na1", "br1", "la1", "la2",
  "euw1", "eun1", "tr1", "ru", "me1",
  "kr", "jp1",
  "oc1", "ph2", "sg2", "th2", "tw2", "vn2",
] as const;
export type PlatformRegion = (typeof PlatformRegion)[number];

export const RoutingValue = ["americas", "europe", "asia", "sea"] as const;
export type RoutingValue = (typeof RoutingValue)[number];

// match-v5 serves OC1 from sea (not americas) since Riot moved Oceania there in 2023.
const routingByRegion: Record<PlatformRegion, RoutingValue> = {
  na1: "americas", br1: "americas", la1: "americas", la2: "americas",
  euw1: "europe", eun1: "europe", tr1: "europe", ru: "europe", me1: "europe",
  kr: "asia", jp1: "asia",
  oc1: "sea", ph2: "sea", sg2: "sea", th2: "sea", tw2: "sea", vn2: "sea",
};

export function routingOf(region: PlatformRegion): RoutingValue {
  return routingByRegion[region];
}

/** A platform region, case-insensitive ("NA1" reads as "na1"); a 400 at submit names the field. */
export const platformRegion = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(PlatformRegion, { error: () => `must be one of ${PlatformRegion.join(", ")}` }));
