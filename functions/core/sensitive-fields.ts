// Encryption at rest of the fields a task marks sensitive (AES-256-GCM), so that
// text, answers or tokens never sit in Redis in the clear.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const MARK = "$enc";

export class FieldCipher {
  readonly #key: Buffer | null;

  /** key: 32 bytes, or null when no task needs it. */
  constructor(key: Buffer | null) {
    if (key && key.length !== 32) throw new Error("the encryption key must be 32 bytes (base64 of 32 random bytes)");
    this.#key = key;
  }

  /** Returns a copy of `value` whose named top-level fields are encrypted. */
  seal(value: unknown, fields: readonly string[]): unknown {
    if (fields.length === 0 || !value || typeof value !== "object" || Array.isArray(value)) return value;
    const key = this.#requireKey();
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const field of fields) {
      if (!(field in copy) || copy[field] === undefined) continue;
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const sealed = Buffer.concat([cipher.update(JSON.stringify(copy[field]), "utf8"), cipher.final()]);
      copy[field] = { [MARK]: Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64") };
    }
    return copy;
  }

  /** Decrypts every sealed top-level field. */
  open(value: unknown): unknown {
    if (!value || typeof value !== "object" || Array.isArray(value)) return value;
    let copy: Record<string, unknown> | null = null;
    for (const [field, inner] of Object.entries(value)) {
      if (!inner || typeof inner !== "object" || !(MARK in inner)) continue;
      const raw = Buffer.from(String((inner as Record<string, unknown>)[MARK]), "base64");
      const decipher = createDecipheriv("aes-256-gcm", this.#requireKey(), raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
      copy ??= { ...(value as Record<string, unknown>) };
      copy[field] = JSON.parse(plain);
    }
    return copy ?? value;
  }

  #requireKey(): Buffer {
    if (!this.#key) throw new Error("TASKS_ENCRYPTION_KEY is not set, but a task marks fields sensitive");
    return this.#key;
  }
}
