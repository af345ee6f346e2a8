// The two ways a command can fail on its way through the bridge. An error reply
// is an answer (it goes back to the client as `{error}`); an unavailable Redis is
// not (the bridge answers 503 for the whole request).

/** An error reply from Redis (RESP `-ERR ...`), carried as a value, never thrown. */
export class RedisReplyError {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

/** Redis cannot be reached, or the connection dropped with replies outstanding. */
export class RedisUnavailableError extends Error {
  override name = "RedisUnavailableError";
}

/** The request itself is malformed or asks for something the bridge refuses: HTTP 400. */
export class CommandRejectedError extends Error {
  override name = "CommandRejectedError";
}
