import { imageGeneration } from "./image-generation.ts";
import { faceSwap } from "./face-swap.ts";
import { backgroundRemoval } from "./background-removal.ts";
import { objectRemoval } from "./object-removal.ts";
import { styleTransfer } from "./style-transfer.ts";

/** The five media tasks, for the registry. */
export const mediaTasks = [imageGeneration, faceSwap, backgroundRemoval, objectRemoval, styleTransfer];

export { IMAGE_CONTENT_TYPES, sniffImageType, type ImageContentType } from "./image-ref.ts";
export { signUpload, storeUpload, uploadLimitBytes, uploadUses } from "./uploads.ts";
