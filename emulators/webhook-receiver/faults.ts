// Fault controls of the webhook receiver: the user system answering 5xx, or
// not answering at all, for a while. A request met by a fault is not kept: it
// had no effect, as a receiver that failed or timed out would have had none.
import type http from "node:http";

export const CONTROL_PREFIX = "/__control/";

const positiveSeconds = (value: unknown): number => {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error("seconds must be a number >= 0");
  return seconds;
};

export class ReceiverFaults {
  private failing: { status: number; until: number } | null = null;
  private hangingUntil = 0;
  private readonly held = new Set<http.ServerResponse>();

  failFor(status: number, seconds: number): void {
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error("status must be 400-599");
    this.failing = { status, until: Date.now() + positiveSeconds(seconds) * 1000 };
  }

  hangFor(seconds: number): void {
    this.hangingUntil = Date.now() + positiveSeconds(seconds) * 1000;
  }

  /** Answers the request if a fault is on; false lets it through. */
  intercept(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const now = Date.now();
    if (now < this.hangingUntil) {
      this.held.add(res);
      setTimeout(() => { this.held.delete(res); req.socket.destroy(); }, this.hangingUntil - now).unref();
      return true;
    }
    if (this.failing && now < this.failing.until) {
      res.writeHead(this.failing.status).end();
      return true;
    }
    return false;
  }

  /** POST /__control/fail {"status": 503, "seconds": 5} · POST /__control/hang {"seconds": 5}. */
  control(name: string, raw: string, res: http.ServerResponse): void {
    try {
      const body = (raw ? JSON.parse(raw) : {}) as { status?: unknown; seconds?: unknown };
      if (name === "fail") this.failFor(Number(body.status ?? 503), positiveSeconds(body.seconds));
      else if (name === "hang") this.hangFor(positiveSeconds(body.seconds));
      else {
        res.writeHead(404, { "Content-Type": "text/plain" }).end(`no control ${name}; there are fail and hang`);
        return;
      }
      res.writeHead(204).end();
    } catch (error) {
      res.writeHead(400, { "Content-Type": "text/plain" }).end(`bad control request: ${(error as Error).message}`);
    }
  }

  /** Drops held requests (on close). */
  release(): void {
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }
}
