// Renders a speech plan as a speech-like waveform: each syllable is a voiced
// tone whose harmonics are shaped by the vowel's formants and whose pitch
// follows the syllable's contour, led by a burst of noise or a murmur for the
// consonant. Not intelligible, but it has the rhythm, pitch and spectrum of
// speech, so players, duration readers and loudness checks behave as on real audio.
import type { Syllable, Vowel } from "./speech-plan.ts";

export interface Voicing {
  sampleRate: number;
  /** The voice's pitch in Hz after prosody. */
  baseHz: number;
  /** Formant frequencies scale: smaller for lower (male) voices. */
  formantScale: number;
  /** 0..1 after the prosody's volume. */
  gain: number;
  /** Speaking-rate multiplier: durations are divided by it. */
  rate: number;
}

/** F1..F3 in Hz for an adult female voice. */
const formants: Record<Vowel, readonly [number, number, number]> = {
  a: [800, 1250, 2600],
  e: [500, 1900, 2650],
  i: [320, 2300, 3000],
  o: [500, 900, 2550],
  u: [340, 800, 2350],
};
const bandwidths = [90, 110, 170] as const;
const peakLevel = 0.5;

export function sampleCount(seconds: number, voicing: Voicing): number {
  return Math.round((seconds / voicing.rate) * voicing.sampleRate);
}

export function renderPause(seconds: number, voicing: Voicing): Float32Array {
  return new Float32Array(sampleCount(seconds, voicing));
}

export function renderSyllable(syllable: Syllable, voicing: Voicing): Float32Array {
  const { sampleRate } = voicing;
  const out = new Float32Array(sampleCount(syllable.seconds, voicing));
  const random = mulberry32(syllable.seed);
  const onsetEnd = Math.floor(out.length * (syllable.onset === "noise" ? 0.25 : syllable.onset === "murmur" ? 0.2 : 0));
  const level = peakLevel * voicing.gain * (0.85 + 0.15 * random());

  if (syllable.onset === "noise") {
    let previous = 0;
    for (let i = 0; i < onsetEnd; i++) {
      const white = random() * 2 - 1;
      out[i] = (white - previous) * 0.25 * level * Math.sin((Math.PI * i) / onsetEnd);
      previous = white;
    }
  }

  const voicedStart = syllable.onset === "noise" ? onsetEnd : 0;
  const voicedLength = out.length - voicedStart;
  if (voicedLength <= 0) return out;
  const meanHz = voicing.baseHz * ((syllable.contour[0] + syllable.contour[1] + syllable.contour[2]) / 3);
  const amplitudes = harmonicAmplitudes(meanHz, syllable.vowel, voicing);
  const attack = Math.min(voicedLength / 3, 0.012 * sampleRate);
  const release = Math.min(voicedLength / 3, 0.035 * sampleRate);
  const vibratoPhase = random() * 2 * Math.PI;
  let phase = 0;
  for (let i = 0; i < voicedLength; i++) {
    const t = i / voicedLength;
    const contour = t < 0.5
      ? lerp(syllable.contour[0], syllable.contour[1], t * 2)
      : lerp(syllable.contour[1], syllable.contour[2], (t - 0.5) * 2);
    const vibrato = 1 + 0.012 * Math.sin(vibratoPhase + (2 * Math.PI * 5.5 * i) / sampleRate);
    phase = (phase + (2 * Math.PI * voicing.baseHz * contour * vibrato) / sampleRate) % (2 * Math.PI);
    const envelope = Math.min(1, rampIn(i, attack), rampIn(voicedLength - 1 - i, release));
    const murmur = voicedStart + i < onsetEnd ? 0.4 : 1;
    out[voicedStart + i] = (out[voicedStart + i] ?? 0) + level * envelope * murmur * harmonics(phase, amplitudes);
  }
  return out;
}

/** Harmonic k's weight: the sum of formant resonances at k·f0, with a gentle tilt. */
function harmonicAmplitudes(f0: number, vowel: Vowel, voicing: Voicing): Float64Array {
  const ceiling = Math.min(4_000, voicing.sampleRate / 2 - 1_000);
  const count = Math.max(1, Math.floor(ceiling / f0));
  const amplitudes = new Float64Array(count);
  let total = 0;
  for (let k = 1; k <= count; k++) {
    let weight = 0;
    formants[vowel].forEach((formant, index) => {
      const distance = (k * f0 - formant * voicing.formantScale) / (bandwidths[index] ?? 100);
      weight += 1 / (1 + distance * distance);
    });
    weight = (weight + 0.02) / k ** 0.5;
    amplitudes[k - 1] = weight;
    total += weight;
  }
  return amplitudes.map((a) => a / total);
}

/** Σ a_k·sin(k·φ), with sin(kφ) from the Chebyshev recurrence instead of k sine calls. */
function harmonics(phase: number, amplitudes: Float64Array): number {
  const twoCos = 2 * Math.cos(phase);
  let before = 0;
  let current = Math.sin(phase);
  let sum = 0;
  for (const amplitude of amplitudes) {
    sum += amplitude * current;
    const next = twoCos * current - before;
    before = current;
    current = next;
  }
  return sum;
}

function rampIn(position: number, length: number): number {
  if (position >= length) return 1;
  return 0.5 - 0.5 * Math.cos((Math.PI * position) / length);
}

function lerp(from: number, to: number, t: number): number {
  return from + (to - from) * t;
}

/** A tiny seeded PRNG, for noise that is the same on every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
