import { parseBuffer } from "music-metadata";
import { describe, expect, it } from "vitest";
import { Mp3Stream } from "../../../emulators/edge-tts/mp3-encoder.ts";
import { readMp3 } from "./mp3-frames.ts";

/** MPEG-2 Layer III, 48 kbit/s, 24 kHz, mono: Edge's usual format. 144 bytes, 576 samples. */
const edgeHeader = Buffer.from([0xff, 0xf3, 0x64, 0xc0]);
/** MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, stereo: 417 bytes (418 padded), 1152 samples. */
const cdHeader = Buffer.from([0xff, 0xfb, 0x90, 0x00]);

function frame(header: Buffer, length: number, fill = 0x55, tagAt?: { offset: number; tag: string }): Buffer {
  const bytes = Buffer.alloc(length, fill);
  header.copy(bytes, 0);
  if (tagAt) bytes.write(tagAt.tag, tagAt.offset, "latin1");
  return bytes;
}
const edgeFrames = (count: number) => Buffer.concat(Array.from({ length: count }, () => frame(edgeHeader, 144)));

describe("readMp3", () => {
  it("counts Edge-format frames and their duration", () => {
    const data = edgeFrames(100);
    const mp3 = readMp3(data);
    expect(mp3.frames).toBe(100);
    expect(mp3.seconds).toBeCloseTo(100 * (576 / 24_000), 9);
    expect(mp3.audio.equals(data)).toBe(true);
  });

  it("reads MPEG-1 frames, padded or not", () => {
    const padded = Buffer.from(cdHeader);
    padded[2] = padded[2]! | 0x02;
    const data = Buffer.concat([frame(cdHeader, 417), frame(padded, 418), frame(cdHeader, 417)]);
    const mp3 = readMp3(data);
    expect(mp3.frames).toBe(3);
    expect(mp3.seconds).toBeCloseTo(3 * (1152 / 44_100), 9);
  });

  it("drops an ID3v2 tag, junk, a cut-off last frame and an ID3v1 tag", () => {
    const id3 = Buffer.concat([Buffer.from("ID3\x04\x00\x00", "latin1"), Buffer.from([0, 0, 0x01, 0x00]), Buffer.alloc(128, 0xff)]);
    const tail = Buffer.concat([frame(edgeHeader, 144).subarray(0, 60), Buffer.from("TAG", "latin1"), Buffer.alloc(125)]);
    const data = Buffer.concat([id3, edgeFrames(5), Buffer.from([0x00, 0x12, 0xff, 0x00]), edgeFrames(5), tail]);
    const mp3 = readMp3(data);
    expect(mp3.frames).toBe(10);
    expect(mp3.audio.equals(edgeFrames(10))).toBe(true);
  });

  it("drops a leading Xing/Info frame, which describes one part only", () => {
    const xing = frame(edgeHeader, 144, 0, { offset: 4 + 9, tag: "Info" });
    const mp3 = readMp3(Buffer.concat([xing, edgeFrames(4)]));
    expect(mp3.frames).toBe(4);
    expect(mp3.audio.equals(edgeFrames(4))).toBe(true);
  });

  it("finds nothing in bytes that are not MP3", () => {
    expect(readMp3(Buffer.from("<html>not audio</html>")).frames).toBe(0);
    expect(readMp3(Buffer.alloc(0)).frames).toBe(0);
  });

  it("agrees with music-metadata on real LAME output, also after joining parts", async () => {
    const encode = (seconds: number) => {
      const encoder = new Mp3Stream({ sampleRate: 24_000, kbps: 48 });
      const samples = Float32Array.from({ length: seconds * 24_000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / 24_000));
      return Buffer.concat([encoder.write(samples), encoder.end()]);
    };
    const joined = Buffer.concat([readMp3(encode(0.6)).audio, readMp3(encode(0.9)).audio]);
    const ours = readMp3(joined);
    const { format } = await parseBuffer(joined, { mimeType: "audio/mpeg" }, { duration: true });
    expect(ours.seconds).toBeGreaterThan(1.4);
    expect(ours.seconds).toBeCloseTo(format.duration ?? 0, 2);
  }, 20_000);
});
