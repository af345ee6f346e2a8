// Reads an image's header (no full decode): format and oriented size, with the
// pixel cap checked before anything else looks at the pixels.
import { NonRetryableError } from "../../core/errors.ts";
import { ImageFormat, type ImageInfo } from "../../tasks/media/imaging.ts";
import { loadSharp } from "./sharp-loader.ts";

export async function probeImage(data: Buffer, maxPixels: number): Promise<ImageInfo> {
  const sharp = await loadSharp();
  let metadata;
  try {
    // Only the header is read here, so no limit on this call: the check below names the sizes.
    // Every decode after this one runs under limitInputPixels.
    metadata = await sharp(data, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new NonRetryableError(`not a readable image (${(error as Error).message})`);
  }
  const format = String(metadata.format) === "jpg" ? "jpeg" : String(metadata.format);
  if (!(ImageFormat as readonly string[]).includes(format)) {
    throw new NonRetryableError(`the image is ${format}; expected ${ImageFormat.join(", ")}`);
  }
  if ((metadata.pages ?? 1) > 1) throw new NonRetryableError("animated images are not accepted");
  const width = metadata.autoOrient?.width ?? metadata.width;
  const height = metadata.autoOrient?.height ?? metadata.height;
  if (!width || !height) throw new NonRetryableError("the image has no size");
  if (width * height > maxPixels) {
    throw new NonRetryableError(`the image is ${width}×${height} = ${width * height} pixels; the limit is ${maxPixels}`);
  }
  return { format: format as ImageFormat, width, height };
}
