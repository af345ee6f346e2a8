// The ways a request can fail in the bridge besides an error reply from Redis
// (an answer, carried as @redis/client's ErrorReply value and sent back as
// `{error}`): an unavailable Redis (503 for the whole request) and a request
// the bridge refuses (400).

/** Redis cannot be reached, or the connection dropped with replies outstanding. */
export class RedisUnavailableError extends Error {
  override name = "RedisUnavailableError";
}

/** The request itself is malformed or asks for something the bridge refuses: HTTP 400. */
export class CommandRejectedError extends Error {
  override name = "CommandRejectedError";
}
