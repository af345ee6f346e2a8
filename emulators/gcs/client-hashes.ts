// Checksums a client declares for what it uploads (the `X-Goog-Hash` header, or
// `crc32c` / `md5Hash` in the metadata): the real service refuses the upload
// when they disagree with the bytes received, and so do we.
import { GcsError } from "./errors.ts";
import { hashesOf } from "./records.ts";

export interface DeclaredHashes {
  crc32c?: string;
  md5?: string;
}

/** `crc32c=AAAAAA==,md5=1B2M2Y8AsgTpgAmY7PhCfg==` */
export function parseGoogHash(header: string | string[] | undefined): DeclaredHashes {
  const declared: DeclaredHashes = {};
  for (const pair of [header ?? []].flat().join(",").split(",")) {
    const at = pair.indexOf("=");
    if (at === -1) continue;
    const kind = pair.slice(0, at).trim().toLowerCase();
    const value = pair.slice(at + 1).trim();
    if (kind === "crc32c") declared.crc32c = value;
    if (kind === "md5") declared.md5 = value;
  }
  return declared;
}

export function verifyDeclaredHashes(data: Uint8Array, declared: DeclaredHashes): void {
  const actual = hashesOf(data);
  if (declared.crc32c !== undefined && declared.crc32c !== actual.crc32c) {
    throw new GcsError(400, "invalid", `Provided CRC32C "${declared.crc32c}" doesn't match calculated CRC32C "${actual.crc32c}".`, "BadDigest");
  }
  if (declared.md5 !== undefined && declared.md5 !== actual.md5Hash) {
    throw new GcsError(400, "invalid", `Provided MD5 hash "${declared.md5}" doesn't match calculated MD5 hash "${actual.md5Hash}".`, "BadDigest");
  }
}
