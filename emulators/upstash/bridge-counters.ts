// What the bridge has done since the last reset, for the benchmark's cost report:
// Upstash bills per command and its latency is per HTTP request.

export interface BridgeStats {
  /** HTTP command requests served (/, /pipeline, /multi-exec, path commands), auth failures included. */
  requests: number;
  /** Commands forwarded to Redis for clients (not the MULTI/EXEC wrappers, not refused ones). */
  commands: number;
}

export class BridgeCounters implements BridgeStats {
  requests = 0;
  commands = 0;

  snapshot(): BridgeStats {
    return { requests: this.requests, commands: this.commands };
  }

  reset(): void {
    this.requests = 0;
    this.commands = 0;
  }
}
