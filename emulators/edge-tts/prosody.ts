// SSML <prosody> values as the Azure speech service reads them: named levels,
// relative percentages, multipliers, Hz and semitones. Unparseable values make
// the whole request invalid, as on the real service.

export interface Pitch {
  /** Multiplies the voice's base pitch ("+10%", "+2st", "high"). */
  scale: number;
  /** Added to the base pitch ("+20Hz"). */
  offsetHz: number;
  /** Replaces the base pitch ("180Hz"). */
  absoluteHz?: number;
}

export interface Prosody {
  /** Speaking-rate multiplier, 1 = the voice's normal pace. */
  rate: number;
  pitch: Pitch;
  /** Linear gain, 0 (silent) to 1 (the voice's full level). */
  volume: number;
}

export const neutralProsody: Prosody = { rate: 1, pitch: { scale: 1, offsetHz: 0 }, volume: 1 };

const namedRates: Record<string, number> = { "x-slow": 0.5, slow: 0.64, medium: 1, default: 1, fast: 1.55, "x-fast": 2 };
const namedPitches: Record<string, number> = { "x-low": 0.5, low: 0.75, medium: 1, default: 1, high: 1.25, "x-high": 1.5 };
const namedVolumes: Record<string, number> = { silent: 0, "x-soft": 0.2, soft: 0.4, medium: 0.6, loud: 0.8, "x-loud": 1, default: 1 };

const percent = /^([+-]?\d+(?:\.\d+)?)%$/;
const plainNumber = /^(\d+(?:\.\d+)?)$/;
const signedNumber = /^([+-]\d+(?:\.\d+)?)$/;
const hertz = /^([+-]?)(\d+(?:\.\d+)?)hz$/;
const semitones = /^([+-]?\d+(?:\.\d+)?)st$/;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** Rate multiplier, bounded to the half-to-double range the service allows; undefined when unparseable. */
export function parseRate(raw: string): number | undefined {
  const value = raw.trim().toLowerCase();
  let rate = namedRates[value];
  const pct = percent.exec(value);
  const num = plainNumber.exec(value);
  if (pct?.[1]) rate = 1 + Number(pct[1]) / 100;
  else if (num?.[1]) rate = Number(num[1]);
  return rate === undefined ? undefined : clamp(rate, 0.5, 2);
}

export function parsePitch(raw: string): Pitch | undefined {
  const value = raw.trim().toLowerCase();
  const named = namedPitches[value];
  if (named !== undefined) return { scale: named, offsetHz: 0 };
  const pct = percent.exec(value);
  if (pct?.[1]) return { scale: Math.max(0.1, 1 + Number(pct[1]) / 100), offsetHz: 0 };
  const st = semitones.exec(value);
  if (st?.[1]) return { scale: 2 ** (Number(st[1]) / 12), offsetHz: 0 };
  const hz = hertz.exec(value);
  if (hz?.[2] !== undefined) {
    const amount = Number(hz[2]);
    if (hz[1] === "") return { scale: 1, offsetHz: 0, absoluteHz: amount };
    return { scale: 1, offsetHz: hz[1] === "-" ? -amount : amount };
  }
  return undefined;
}

export function parseVolume(raw: string): number | undefined {
  const value = raw.trim().toLowerCase();
  let volume = namedVolumes[value];
  const pct = percent.exec(value);
  const signed = signedNumber.exec(value);
  const num = plainNumber.exec(value);
  if (pct?.[1]) volume = 1 + Number(pct[1]) / 100;
  else if (signed?.[1]) volume = (100 + Number(signed[1])) / 100;
  else if (num?.[1]) volume = Number(num[1]) / 100;
  return volume === undefined ? undefined : clamp(volume, 0, 1);
}

/** The voice's pitch in Hz after the prosody's pitch change, kept audible. */
export function pitchHz(pitch: Pitch, baseHz: number): number {
  const hz = (pitch.absoluteHz ?? baseHz) * pitch.scale + pitch.offsetHz;
  return clamp(hz, 50, 500);
}
