// An @upstash/redis client that sends through our keep-alive requester. The
// library takes a custom Requester only in a constructor that drops every other
// option (automatic deserialisation, auto-pipelining), so the client is built
// from its options as usual and then handed the requester in place of fetch.
import { Redis, type RedisConfigNodejs, type Requester } from "@upstash/redis";
import { KeepAliveRequester, type KeepAliveRequesterOptions } from "./keep-alive-requester.ts";

class RequesterRedis extends Redis {
  constructor(options: RedisConfigNodejs, requester: Requester) {
    super(options);
    // `client` is the Requester every command and pipeline reads at the time it runs.
    this.client = requester;
  }
}

export function keepAliveRequester(options: KeepAliveRequesterOptions): KeepAliveRequester {
  return new KeepAliveRequester(options);
}

/** A client over `requester`; `automaticDeserialization: false` leaves results as Redis returned them. */
export function upstashRedis(requester: KeepAliveRequester, options: { url: string; token: string; automaticDeserialization?: boolean }): Redis {
  return new RequesterRedis({ url: options.url, token: options.token, enableTelemetry: false, retry: false, automaticDeserialization: options.automaticDeserialization ?? true }, requester);
}
