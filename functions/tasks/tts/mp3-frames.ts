// Reads MPEG audio (Layer III) frame by frame: how long the audio lasts, from
// the frames themselves, and the bare frames of each part so that parts can be
// joined into one stream (ID3 tags and Xing/Info/VBRI header frames dropped,
// since each would describe one part only).

export interface Mp3Frames {
  /** The audio frames only, back to back. */
  audio: Buffer;
  frames: number;
  seconds: number;
}

/** kbit/s by [MPEG-1 ? 0 : 1][bitrate index], Layer III. */
const bitrates = [
  [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
] as const;
/** Hz by version bits (0 = MPEG-2.5, 2 = MPEG-2, 3 = MPEG-1) and sample-rate index. */
const sampleRates: Record<number, readonly number[]> = { 0: [11_025, 12_000, 8_000], 2: [22_050, 24_000, 16_000], 3: [44_100, 48_000, 32_000] };

interface FrameHeader {
  length: number;
  samples: number;
  sampleRate: number;
  /** Where a Xing/Info tag would start, after the side information. */
  sideInfoEnd: number;
}

/** Layer III frame header at `at`, or null when the bytes there are not one. */
function frameHeader(data: Buffer, at: number): FrameHeader | null {
  if (at + 4 > data.length) return null;
  const b1 = data[at + 1]!, b2 = data[at + 2]!, b3 = data[at + 3]!;
  if (data[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 0x03;
  const layer = (b1 >> 1) & 0x03;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 0x03;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const mpeg1 = version === 3;
  const kbps = bitrates[mpeg1 ? 0 : 1][bitrateIndex]!;
  const sampleRate = sampleRates[version]![rateIndex]!;
  const padding = (b2 >> 1) & 0x01;
  const mono = b3 >> 6 === 3;
  return {
    length: Math.floor(((mpeg1 ? 144 : 72) * kbps * 1000) / sampleRate) + padding,
    samples: mpeg1 ? 1152 : 576,
    sampleRate,
    sideInfoEnd: 4 + (mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17),
  };
}

/** Skips a leading ID3v2 tag: "ID3", version, flags, then a 28-bit syncsafe size. */
function afterId3(data: Buffer): number {
  if (data.length < 10 || data.toString("latin1", 0, 3) !== "ID3") return 0;
  const size = ((data[6]! & 0x7f) << 21) | ((data[7]! & 0x7f) << 14) | ((data[8]! & 0x7f) << 7) | (data[9]! & 0x7f);
  const footer = data[5]! & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

function isInfoFrame(data: Buffer, at: number, header: FrameHeader): boolean {
  const tag = (offset: number) => data.toString("latin1", at + offset, at + offset + 4);
  return ["Xing", "Info"].includes(tag(header.sideInfoEnd)) || tag(36) === "VBRI";
}

/**
 * The frames of an MP3 and their duration. Bytes that are not a frame (junk, a
 * trailing ID3v1 tag, a cut-off frame) are skipped.
 */
export function readMp3(data: Buffer): Mp3Frames {
  const kept: Buffer[] = [];
  let frames = 0;
  let seconds = 0;
  // A frame cut off before an ID3v1 tag would otherwise look whole.
  const end = data.length >= 128 && data.toString("latin1", data.length - 128, data.length - 125) === "TAG" ? data.length - 128 : data.length;
  let at = afterId3(data);
  let first = true;
  while (at < end) {
    const header = frameHeader(data, at);
    if (!header || at + header.length > end) {
      at += 1;
      continue;
    }
    const info = first && isInfoFrame(data, at, header);
    first = false;
    if (!info) {
      kept.push(data.subarray(at, at + header.length));
      frames += 1;
      seconds += header.samples / header.sampleRate;
    }
    at += header.length;
  }
  return { audio: Buffer.concat(kept), frames, seconds };
}
