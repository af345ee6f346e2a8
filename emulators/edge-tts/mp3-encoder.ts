// Streams float PCM through LAME (pure JS) into constant-bitrate MP3 frames,
// the same kind of stream the real service sends: bare MPEG frames, no ID3 tag.
import { Mp3Encoder } from "@breezystack/lamejs";
import type { Mp3Settings } from "./output-formats.ts";

export class Mp3Stream {
  #encoder: Mp3Encoder;

  constructor(settings: Mp3Settings) {
    this.#encoder = new Mp3Encoder(1, settings.sampleRate, settings.kbps);
  }

  /** Encodes more samples (-1..1); returns whatever whole frames are ready. */
  write(samples: Float32Array): Buffer {
    const pcm = new Int16Array(samples.length);
    for (let i = 0; i < samples.length; i++) {
      pcm[i] = Math.round(Math.max(-1, Math.min(1, samples[i] ?? 0)) * 32_767);
    }
    return copy(this.#encoder.encodeBuffer(pcm));
  }

  /** Pads and emits the last frames. */
  end(): Buffer {
    return copy(this.#encoder.flush());
  }
}

/** LAME returns views on its own working buffer: copy before it is reused. */
function copy(view: ArrayBufferView): Buffer {
  return Buffer.from(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
}
