// RESP2 request encoding: every command goes to Redis as an array of bulk strings.

export type CommandArgs = readonly (string | Buffer)[];

/**
 * Encodes one command. All-string commands (the JSON path, nearly all traffic)
 * stay a string so a batch is one concatenation and one socket write.
 */
export function encodeCommand(args: CommandArgs): string | Buffer {
  let text = `*${args.length}\r\n`;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string | Buffer;
    if (typeof arg !== "string") return encodeWithBuffers(args);
    text += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  }
  return text;
}

function encodeWithBuffers(args: CommandArgs): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === "string" ? Buffer.from(arg) : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/** Encodes a batch; a string batch stays one string. */
export function encodeBatch(commands: readonly CommandArgs[]): string | Buffer {
  let text = "";
  let buffers: Buffer[] | undefined;
  for (const command of commands) {
    const encoded = encodeCommand(command);
    if (typeof encoded === "string" && !buffers) {
      text += encoded;
      continue;
    }
    buffers ??= [Buffer.from(text)];
    buffers.push(typeof encoded === "string" ? Buffer.from(encoded) : encoded);
  }
  return buffers ? Buffer.concat(buffers) : text;
}
