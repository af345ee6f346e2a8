// Commands the bridge will not forward: they would block a shared pooled
// connection, turn it into a subscriber, or change its state for every later
// request that lands on it. Transactions go through POST /multi-exec instead.

const reasons = new Map<string, string>();
const refuse = (names: string, reason: string) => {
  for (const name of names.split(" ")) reasons.set(name, reason);
};
refuse("BLPOP BRPOP BRPOPLPUSH BLMOVE BLMPOP BZPOPMIN BZPOPMAX BZMPOP WAIT WAITAOF", "blocking commands are not supported over REST");
refuse("SUBSCRIBE PSUBSCRIBE SSUBSCRIBE UNSUBSCRIBE PUNSUBSCRIBE SUNSUBSCRIBE MONITOR SYNC PSYNC", "streaming commands are not supported over REST");
refuse("MULTI EXEC DISCARD WATCH UNWATCH", "use POST /multi-exec for transactions");
refuse("SELECT AUTH HELLO QUIT RESET", "connection state is not supported over REST");

const refusedClientSubcommands = new Set(["REPLY", "TRACKING", "CACHING"]);

/** The error text for a refused command, or undefined when it may be forwarded. */
export function refusalOf(args: readonly (string | Buffer)[]): string | undefined {
  const name = String(args[0]).toUpperCase();
  const reason = reasons.get(name);
  if (reason) return `ERR ${name} is not supported by the Upstash REST bridge: ${reason}`;
  if ((name === "XREAD" || name === "XREADGROUP") && hasBlockOption(args)) {
    return `ERR ${name} with BLOCK is not supported by the Upstash REST bridge: blocking commands are not supported over REST`;
  }
  if (name === "CLIENT" && refusedClientSubcommands.has(String(args[1]).toUpperCase())) {
    return `ERR CLIENT ${String(args[1]).toUpperCase()} is not supported by the Upstash REST bridge: connection state is not supported over REST`;
  }
  return undefined;
}

/** XREAD options come before STREAMS; after it, "block" could be a key name. */
function hasBlockOption(args: readonly (string | Buffer)[]): boolean {
  for (const arg of args) {
    const word = String(arg).toUpperCase();
    if (word === "STREAMS") return false;
    if (word === "BLOCK") return true;
  }
  return false;
}
