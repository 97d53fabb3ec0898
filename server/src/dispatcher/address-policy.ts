import { BlockList, isIP } from 'node:net';

/**
 * Why an address may not be a webhook target. Deliveries refused for one of
 * these reasons fail with error code `blocked_address`.
 */
export type BlockedReason =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared' // CGNAT 100.64.0.0/10
  | 'link-local' // also cloud metadata 169.254.169.254
  | 'metadata'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

/** Decides whether an IP address may receive deliveries. */
export interface AddressPolicy {
  /** `null` when the address may be contacted, else why not. */
  check(address: string): BlockedReason | null;
}

// Ordered most specific first so the reason names the narrowest range.
const V4_RANGES: Array<[string, number, BlockedReason]> = [
  ['169.254.169.254', 32, 'metadata'],
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, 'unspecified'],
  ['127.0.0.0', 8, 'loopback'],
  ['10.0.0.0', 8, 'private'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['169.254.0.0', 16, 'link-local'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments (some clouds put metadata here)
  ['192.0.2.0', 24, 'reserved'], // documentation
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
];

const V6_RANGES: Array<[string, number, BlockedReason]> = [
  ['fd00:ec2::254', 128, 'metadata'],
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'private'], // unique local
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'], // deprecated site-local
  ['ff00::', 8, 'multicast'],
  ['100::', 64, 'reserved'], // discard prefix
  ['2001:db8::', 32, 'reserved'], // documentation
  ['64:ff9b:1::', 48, 'reserved'], // local-use NAT64
];

function rangeList(): Array<{ list: BlockList; reason: BlockedReason }> {
  return [
    ...V4_RANGES.map(([net, prefix, reason]) => {
      const list = new BlockList();
      list.addSubnet(net, prefix, 'ipv4');
      return { list, reason };
    }),
    ...V6_RANGES.map(([net, prefix, reason]) => {
      const list = new BlockList();
      list.addSubnet(net, prefix, 'ipv6');
      return { list, reason };
    }),
  ];
}

/** Parses an IPv6 address (no zone) into 8 16-bit groups, or `null`. */
export function parseIpv6(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase();
  const groups: number[] = [];
  // A trailing dotted quad stands for the last two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let tail: number[] = [];
  if (dotted) {
    const b = dotted[1]!.split('.').map(Number);
    tail = [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!];
    text = text.slice(0, -dotted[1]!.length);
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const missing = 8 - left.length - right.length - tail.length;
  groups.push(...left, ...new Array<number>(rest === undefined ? 0 : missing).fill(0), ...right, ...tail);
  return groups.length === 8 ? groups : null;
}

/**
 * The IPv4 address an IPv6 address carries, for the forms that reach an IPv4 host:
 * IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`
 * and 6to4 `2002:aabb:ccdd::/48`.
 */
export function embeddedIpv4(address: string): string | null {
  const g = parseIpv6(address);
  if (!g) return null;
  const v4 = (hi: number, lo: number): string => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return v4(g[6]!, g[7]!);
  if (zeros(0, 6) && (g[6] !== 0 || g[7]! > 1)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return null;
}

/** Parses `10.0.0.0/8`, `::1/128` or a bare address into a subnet of an allow-list. */
function addCidr(list: BlockList, cidr: string): void {
  const [net, prefixText] = cidr.trim().split('/') as [string, string | undefined];
  const family = isIP(net);
  if (family === 0) throw new Error(`HOOKLINE_ALLOW_PRIVATE_NETWORKS: "${cidr}" is not an address or CIDR`);
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new Error(`HOOKLINE_ALLOW_PRIVATE_NETWORKS: "${cidr}" has an invalid prefix length`);
  }
  list.addSubnet(net, prefix, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The SSRF policy: every non-public range is refused unless one of
 * `allowPrivateNetworks` (CIDRs, as in `HOOKLINE_ALLOW_PRIVATE_NETWORKS`) covers it.
 * IPv6 forms that embed an IPv4 address are judged by that address too.
 */
export function createAddressPolicy(allowPrivateNetworks: readonly string[] = []): AddressPolicy {
  const allow = new BlockList();
  let anyAllowed = false;
  for (const cidr of allowPrivateNetworks) {
    if (cidr.trim() === '') continue;
    addCidr(allow, cidr);
    anyAllowed = true;
  }
  const ranges = rangeList();
  const allowed = (address: string, type: 'ipv4' | 'ipv6'): boolean => anyAllowed && allow.check(address, type);
  const classify = (address: string, type: 'ipv4' | 'ipv6'): BlockedReason | null => {
    for (const { list, reason } of ranges) if (list.check(address, type)) return reason;
    return null;
  };
  return {
    check(raw: string): BlockedReason | null {
      const address = raw.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
      const family = isIP(address);
      if (family === 0) return 'reserved';
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (allowed(address, type)) return null;
      const own = classify(address, type);
      if (own) return own;
      if (family === 6) {
        const inner = embeddedIpv4(address);
        if (inner !== null && !allowed(inner, 'ipv4')) return classify(inner, 'ipv4');
      }
      return null;
    },
  };
}
