// The media domain's outside systems: who runs image jobs (imaging.ts), and how
// user-supplied URLs are fetched behind the SSRF guard (remote-files.ts).
import { blobs, port, type TaskContext } from "../../core/task-kit.ts";
import type { Imaging } from "./imaging.ts";
import type { RemoteFiles } from "./remote-files.ts";

export type { Imaging } from "./imaging.ts";
export type { RemoteFiles } from "./remote-files.ts";

/** The local sharp provider or an HTTP one (MEDIA_PROVIDER). */
export const imaging = port<Imaging>("imaging");
export const remoteFiles = port<RemoteFiles>("remoteFiles");

/** What every media task uses: the provider, the fetcher for URL inputs, storage for inputs and outputs. */
export const mediaUses = { imaging, remoteFiles, blobs };
export type MediaContext = TaskContext<typeof mediaUses>;
