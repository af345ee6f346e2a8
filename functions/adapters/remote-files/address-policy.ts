// Which IP addresses a user-supplied URL may reach: public unicast only. Every
// range below is somewhere a server-side fetch must never go (SSRF): loopback,
// private and shared networks, link-local (where cloud metadata servers live),
// unique-local IPv6, and the reserved, documentation and multicast blocks.
import { isIP } from "node:net";

export const AddressClass = [
  "public", "loopback", "private", "shared", "link-local", "unique-local", "unspecified", "multicast", "reserved", "documentation", "invalid",
] as const;
export type AddressClass = (typeof AddressClass)[number];

interface Range {
  bytes: number[];
  bits: number;
  kind: Exclude<AddressClass, "public" | "invalid">;
}

const v4 = (cidr: string, kind: Range["kind"]): Range => {
  const [address, bits] = cidr.split("/") as [string, string];
  return { bytes: address.split(".").map(Number), bits: Number(bits), kind };
};
const v6 = (cidr: string, kind: Range["kind"]): Range => {
  const [address, bits] = cidr.split("/") as [string, string];
  return { bytes: ipv6Bytes(address)!, bits: Number(bits), kind };
};

const IPV4_RANGES: Range[] = [
  v4("0.0.0.0/8", "unspecified"),
  v4("10.0.0.0/8", "private"),
  v4("100.64.0.0/10", "shared"),
  v4("127.0.0.0/8", "loopback"),
  v4("169.254.0.0/16", "link-local"),
  v4("172.16.0.0/12", "private"),
  v4("192.0.0.0/24", "reserved"),
  v4("192.0.2.0/24", "documentation"),
  v4("192.88.99.0/24", "reserved"),
  v4("192.168.0.0/16", "private"),
  v4("198.18.0.0/15", "reserved"),
  v4("198.51.100.0/24", "documentation"),
  v4("203.0.113.0/24", "documentation"),
  v4("224.0.0.0/4", "multicast"),
  v4("240.0.0.0/4", "reserved"),
];

const IPV6_RANGES: Range[] = [
  v6("::/128", "unspecified"),
  v6("::1/128", "loopback"),
  v6("64:ff9b:1::/48", "private"),
  v6("100::/64", "reserved"),
  // Teredo hides the real endpoint; nothing legitimate serves images from it.
  v6("2001::/32", "reserved"),
  v6("2001:db8::/32", "documentation"),
  v6("fc00::/7", "unique-local"),
  v6("fe80::/10", "link-local"),
  v6("fec0::/10", "link-local"),
  v6("ff00::/8", "multicast"),
];

const NAT64 = v6("64:ff9b::/96", "reserved");

/** Host names refused before any lookup: they mean this machine or its metadata server. */
const REFUSED_NAMES = [/^localhost$/, /\.localhost$/, /^metadata$/, /^metadata\.google\.internal$/, /\.internal$/];

export function isRefusedHostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return REFUSED_NAMES.some((pattern) => pattern.test(name));
}

export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 4) return classifyV4(bare.split(".").map(Number));
  if (family === 6) {
    const bytes = ipv6Bytes(bare);
    return bytes ? classifyV6(bytes) : "invalid";
  }
  return "invalid";
}

export const isPublicAddress = (address: string): boolean => classifyAddress(address) === "public";

function classifyV4(bytes: number[]): AddressClass {
  return IPV4_RANGES.find((range) => matches(bytes, range))?.kind ?? "public";
}

function classifyV6(bytes: number[]): AddressClass {
  // IPv4 inside IPv6 reaches the IPv4 address: judge that one.
  const head = (n: number) => bytes.slice(0, n);
  const zeros = (list: number[]) => list.every((b) => b === 0);
  if (zeros(head(10)) && bytes[10] === 0xff && bytes[11] === 0xff) return classifyV4(bytes.slice(12)); // ::ffff:a.b.c.d
  if (zeros(head(12)) && !(zeros(bytes.slice(12, 15)) && (bytes[15] ?? 0) <= 1)) return classifyV4(bytes.slice(12)); // ::a.b.c.d (deprecated)
  if (matches(bytes, NAT64)) return classifyV4(bytes.slice(12)); // NAT64
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return classifyV4(bytes.slice(2, 6)); // 6to4
  return IPV6_RANGES.find((range) => matches(bytes, range))?.kind ?? "public";
}

function matches(bytes: number[], range: Range): boolean {
  if (bytes.length !== range.bytes.length) return false;
  let bits = range.bits;
  for (let i = 0; bits > 0; i += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** 16 bytes of an IPv6 address (with ::, and a dotted IPv4 tail); null when malformed. */
export function ipv6Bytes(address: string): number[] | null {
  let text = address;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    if (isIP(dotted[1]!) !== 4) return null;
    tail.push(...dotted[1]!.split(".").map(Number));
    text = text.slice(0, -dotted[1]!.length) + "0:0";
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string) => (part ? part.split(":") : []);
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...left, ...Array<string>(missing).fill("0"), ...right];
  const bytes: number[] = [];
  for (const group of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return null;
    const value = parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}
