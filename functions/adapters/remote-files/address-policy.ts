// Which IP addresses a user-supplied URL may reach: public unicast only. Every
// range below is somewhere a server-side fetch must never go (SSRF): loopback,
// private and shared networks, link-local (where cloud metadata servers live),
// unique-local IPv6, and the reserved, documentation and multicast blocks.
import { BlockList, isIP } from "node:net";

export const AddressClass = [
  "public", "loopback", "private", "shared", "link-local", "unique-local", "unspecified", "multicast", "reserved", "documentation", "invalid",
] as const;
export type AddressClass = (typeof AddressClass)[number];
type Refused = Exclude<AddressClass, "public" | "invalid">;

const RANGES: [network: string, prefix: number, kind: Refused][] = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "shared"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["64:ff9b:1::", 48, "private"],
  ["100::", 64, "reserved"],
  // Teredo hides the real endpoint; nothing legitimate serves images from it.
  ["2001::", 32, "reserved"],
  ["2001:db8::", 32, "documentation"],
  ["fc00::", 7, "unique-local"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "link-local"],
  ["ff00::", 8, "multicast"],
];

/** One BlockList per kind of refused range. */
const LISTS = new Map<Refused, BlockList>();
for (const [network, prefix, kind] of RANGES) {
  const list = LISTS.get(kind) ?? new BlockList();
  list.addSubnet(network, prefix, isIP(network) === 6 ? "ipv6" : "ipv4");
  LISTS.set(kind, list);
}

/** Host names refused before any lookup: they mean this machine or its metadata server. */
const REFUSED_NAMES = [/^localhost$/, /\.localhost$/, /^metadata$/, /^metadata\.google\.internal$/, /\.internal$/];

export function isRefusedHostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return REFUSED_NAMES.some((pattern) => pattern.test(name));
}

export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 4) return classify(bare, "ipv4");
  if (family === 6) return classifyV6(bare);
  return "invalid";
}

function classify(address: string, type: "ipv4" | "ipv6"): AddressClass {
  for (const [kind, list] of LISTS) if (list.check(address, type)) return kind;
  return "public";
}

function classifyV6(address: string): AddressClass {
  // IPv4 inside IPv6 reaches the IPv4 address: judge that one.
  const g = groups(address);
  const zeros = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  const [, , , , , sixth = 0, seventh = 0, eighth = 0] = g;
  if (zeros(0, 5) && sixth === 0xffff) return classify(v4(seventh, eighth), "ipv4"); // ::ffff:a.b.c.d
  if (zeros(0, 6) && !(seventh === 0 && eighth <= 1)) return classify(v4(seventh, eighth), "ipv4"); // ::a.b.c.d (deprecated)
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return classify(v4(seventh, eighth), "ipv4"); // NAT64, 64:ff9b::/96
  if (g[0] === 0x2002) return classify(v4(g[1] ?? 0, g[2] ?? 0), "ipv4"); // 6to4
  return classify(address, "ipv6");
}

/** The eight 16-bit groups of a valid IPv6 address; the URL parser first writes it canonically (hex groups, at most one ::). */
function groups(address: string): number[] {
  const [left, right] = new URL(`http://[${address}]`).hostname.slice(1, -1).split("::");
  const hex = (part: string | undefined) => (part ? part.split(":").map((group) => parseInt(group, 16)) : []);
  const head = hex(left);
  const tail = hex(right);
  return right === undefined ? head : [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}
