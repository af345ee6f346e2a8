// Builds a real msedge-tts client that talks to another read-aloud endpoint
// (the stand-in) instead of speech.platform.bing.com, without patching the library.
//
// Why a shim: msedge-tts 2.x has no endpoint option. It builds its URLs from
// private static constants (WSS_URL, VOICES_URL); overwriting those would
// redirect every client in the process, not one. Its one supported hook is the
// `agent` constructor option, which `ws` uses to open the connection: an agent
// whose createConnection dials the endpoint in plain TCP makes the unchanged
// handshake (same path, token and Sec-MS-GEC query, Host still
// speech.platform.bing.com) reach the stand-in without TLS. getVoices() calls
// axios with neither agent nor option, so this instance's getVoices is replaced
// by a fetch of the same path on the endpoint. Everything else is the library's
// own code. Depends on nothing but node and msedge-tts. It lives with the
// adapter because production code must not import emulators/; the stand-in's
// conformance tests import it from here.
import https from "node:https";
import net from "node:net";
import { MsEdgeTTS } from "msedge-tts";
import type { Voice } from "msedge-tts";

const voicesListPath = "/consumer/speech/synthesize/readaloud/voices/list?trustedclienttoken=6A5AA1D4EAFF4E9FB37E23D68491D6F4";

/** msedge-tts sets no deadline on the voice list; a stand-in that hangs should not hang the caller. */
const voicesTimeoutMs = 15_000;

export interface EdgeTtsClientOptions {
  /** Passed through to msedge-tts. Default: false. */
  enableLogger?: boolean;
}

/**
 * An MsEdgeTTS whose synthesis socket and voice list go to `endpoint`
 * ("http://127.0.0.1:PORT" or "ws://127.0.0.1:PORT"; plain TCP only).
 */
export function createEdgeTtsClient(endpoint: string, options: EdgeTtsClientOptions = {}): MsEdgeTTS {
  const { host, hostname, port } = parseEndpoint(endpoint);
  const client = new MsEdgeTTS({ agent: new EndpointAgent(hostname, port), enableLogger: options.enableLogger ?? false });
  client.getVoices = async (): Promise<Voice[]> => {
    const response = await fetch(`http://${host}${voicesListPath}`, { signal: AbortSignal.timeout(voicesTimeoutMs) });
    if (!response.ok) throw new Error(`Edge TTS voice list: HTTP ${response.status} from ${endpoint}`);
    return (await response.json()) as Voice[];
  };
  return client;
}

/**
 * An https agent (the client's URL is wss://) that opens plain TCP to the
 * endpoint whatever host the request names; keep-alive is off, as the socket
 * is handed over to the WebSocket after the upgrade.
 */
class EndpointAgent extends https.Agent {
  #host: string;
  #port: number;

  constructor(host: string, port: number) {
    super({ keepAlive: false });
    this.#host = host;
    this.#port = port;
  }

  override createConnection(): net.Socket {
    return net.connect({ host: this.#host, port: this.#port });
  }
}

function parseEndpoint(endpoint: string): { host: string; hostname: string; port: number } {
  const url = new URL(endpoint);
  if (url.protocol !== "http:" && url.protocol !== "ws:") {
    throw new Error(`Edge TTS endpoint must be http:// or ws:// (plain TCP), got ${endpoint}`);
  }
  // URL keeps the brackets of an IPv6 literal; net.connect wants the bare address.
  return { host: url.host, hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(url.port || 80) };
}
