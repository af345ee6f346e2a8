// sharp is a native module of some weight: imported on first use, so the api
// (which never decodes an image) does not pay for it at cold start.
import type { Sharp, SharpOptions } from "sharp";

export type SharpFactory = (input?: Buffer, options?: SharpOptions) => Sharp;

let loaded: Promise<SharpFactory> | null = null;

export function loadSharp(): Promise<SharpFactory> {
  loaded ??= import("sharp").then((module) => module.default as unknown as SharpFactory);
  return loaded;
}
