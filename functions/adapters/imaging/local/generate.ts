// "Image generation" without a model: a deterministic picture from a hash of the
// prompt and seed: a gradient and soft shapes drawn as SVG and rendered by sharp.
// The same prompt and seed give the same bytes; it illustrates, it does not depict.
import { createHash } from "node:crypto";
import type { GenerationRequest, ImagingResult } from "../../../tasks/media/imaging.ts";
import type { SharpFactory } from "../sharp-loader.ts";
import { throwIfAborted } from "./raw-image.ts";

/** mulberry32: small, fast, good enough for picking colours. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generationSeed(request: Pick<GenerationRequest, "prompt" | "negativePrompt" | "seed">): number {
  const digest = createHash("sha256").update(`${request.prompt}\u0000${request.negativePrompt ?? ""}\u0000${request.seed}`).digest();
  return digest.readUInt32BE(0);
}

const hsl = (h: number, s: number, l: number) => `hsl(${Math.round(h) % 360} ${Math.round(s)}% ${Math.round(l)}%)`;

export function generationSvg(request: GenerationRequest): { svg: string; shapes: number } {
  const random = seededRandom(generationSeed(request));
  const { width, height } = request;
  const hue = random() * 360;
  const angle = Math.round(random() * 360);
  const shapes = Math.min(24, 4 + Math.floor(request.steps / 8));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<defs><linearGradient id="bg" gradientTransform="rotate(${angle} 0.5 0.5)">`,
    `<stop offset="0" stop-color="${hsl(hue, 60, 25)}"/><stop offset="1" stop-color="${hsl(hue + 60 + random() * 120, 70, 65)}"/>`,
    `</linearGradient><filter id="soft"><feGaussianBlur stdDeviation="${Math.max(1, Math.round(Math.min(width, height) / 80))}"/></filter></defs>`,
    `<rect width="100%" height="100%" fill="url(#bg)"/>`,
    `<g filter="url(#soft)">`,
  ];
  const size = Math.min(width, height);
  for (let i = 0; i < shapes; i += 1) {
    const fill = hsl(hue + random() * 180 - 90, 50 + random() * 40, 35 + random() * 45);
    const opacity = (0.25 + random() * 0.5).toFixed(2);
    const x = Math.round(random() * width);
    const y = Math.round(random() * height);
    const r = Math.round(size * (0.05 + random() * 0.25));
    const kind = Math.floor(random() * 3);
    if (kind === 0) parts.push(`<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}" fill-opacity="${opacity}"/>`);
    else if (kind === 1) {
      parts.push(`<rect x="${x - r}" y="${y - r / 2}" width="${2 * r}" height="${r}" rx="${Math.round(r / 4)}" fill="${fill}" fill-opacity="${opacity}" transform="rotate(${Math.round(random() * 180)} ${x} ${y})"/>`);
    } else {
      const points = [0, 1, 2].map((k) => {
        const a = random() * Math.PI * 2 + (k * Math.PI * 2) / 3;
        return `${Math.round(x + Math.cos(a) * r)},${Math.round(y + Math.sin(a) * r)}`;
      });
      parts.push(`<polygon points="${points.join(" ")}" fill="${fill}" fill-opacity="${opacity}"/>`);
    }
  }
  parts.push("</g></svg>");
  return { svg: parts.join(""), shapes };
}

export async function generateImage(sharp: SharpFactory, request: GenerationRequest, signal: AbortSignal): Promise<ImagingResult> {
  const { svg, shapes } = generationSvg(request);
  throwIfAborted(signal);
  const data = await sharp(Buffer.from(svg), { density: 72 }).resize(request.width, request.height, { fit: "fill" }).png().toBuffer();
  return { data, metadata: { algorithm: "seeded gradient and shapes (not AI)", seed: request.seed, steps: request.steps, shapes } };
}
