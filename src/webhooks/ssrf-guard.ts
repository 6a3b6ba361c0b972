// Webhook targets must not reach into our own network (DESIGN.md "Security"):
// http(s) only, and every address the host resolves to must be public, unless
// WEBHOOK_ALLOW_PRIVATE_TARGETS says otherwise. Checked when a subscription is
// created and again before every delivery (the name may resolve differently by then).
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** The target is not allowed (scheme, or a private / loopback / … address). Never worth retrying. */
export class RefusedTargetError extends Error {}

export type Lookup = (hostname: string) => Promise<string[]>;

const systemLookup: Lookup = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

function parseIPv4(ip: string): number[] | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => Number.isInteger(o) && o >= 0 && o <= 255) ? octets : null;
}

/** Eight 16-bit groups, or null when the text is not an IPv6 address. A zone id (`%eth0`) is ignored. */
function parseIPv6(input: string): number[] | null {
  let ip = input.split('%')[0];
  // An embedded dotted quad at the end (::ffff:127.0.0.1) becomes two groups.
  const lastColon = ip.lastIndexOf(':');
  const tail = ip.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIPv4(tail);
    if (!v4) return null;
    ip = `${ip.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}

function privateIPv4([a, b, c]: number[]): boolean {
  return (
    a === 0 || // 0.0.0.0/8 "this network", includes the unspecified address
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // 192.0.0/24 protocol assignments, 192.0.2/24 documentation
    (a === 198 && b === 51 && c === 100) || // 198.51.100/24 documentation
    (a === 203 && b === 0 && c === 113) || // 203.0.113/24 documentation
    a === 10 || // 10/8
    a === 127 || // loopback
    (a === 100 && b >= 64 && b <= 127) || // 100.64/10 carrier-grade NAT
    (a === 169 && b === 254) || // link-local (and cloud metadata)
    (a === 172 && b >= 16 && b <= 31) || // 172.16/12
    (a === 192 && b === 168) || // 192.168/16
    (a === 198 && (b === 18 || b === 19)) || // 198.18/15 benchmarking
    a >= 224 // multicast 224/4, reserved 240/4, broadcast
  );
}

/**
 * True when the address must not be a webhook target: private, loopback,
 * link-local, unique-local, unspecified, multicast or reserved, also when
 * written as IPv4-mapped / -compatible / NAT64 / 6to4 IPv6. Anything that does
 * not parse as an IP address counts as private (refuse when unsure).
 */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip.split('%')[0]);
  if (family === 4) return privateIPv4(parseIPv4(ip)!);
  if (family !== 6) return true;
  const g = parseIPv6(ip);
  if (!g) return true;
  const v4At = (i: number) => [g[i] >> 8, g[i] & 0xff, g[i + 1] >> 8, g[i + 1] & 0xff];
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 8)) return true; // ::
  if (zero(0, 7) && g[7] === 1) return true; // ::1
  if (zero(0, 5) && g[5] === 0xffff) return privateIPv4(v4At(6)); // ::ffff:a.b.c.d
  if (zero(0, 6)) return privateIPv4(v4At(6)); // ::a.b.c.d (deprecated IPv4-compatible)
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return privateIPv4(v4At(6)); // 64:ff9b::/96 NAT64
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return privateIPv4(v4At(6)); // ::ffff:0:a.b.c.d IPv4-translated
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return true; // 64:ff9b:1::/48 local-use NAT64
  if (g[0] === 0x2002) return privateIPv4(v4At(1)); // 6to4 embeds the IPv4 address
  if (g[0] === 0x2001 && g[1] === 0) return true; // 2001::/32 Teredo tunnels
  if (g[0] === 0x2001 && g[1] === 0xdb8) return true; // 2001:db8::/32 documentation
  if ((g[0] & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((g[0] & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((g[0] & 0xfe00) === 0xfc00) return true; // fc00::/7 unique-local
  if ((g[0] & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  return false;
}

/** The URL, parsed, if it is an absolute http(s) URL; otherwise why not. */
export function parseTargetUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RefusedTargetError('url must be an absolute http or https URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RefusedTargetError('url must use http or https');
  }
  if (!parsed.hostname) throw new RefusedTargetError('url must name a host');
  return parsed;
}

/**
 * Refuses (RefusedTargetError) a URL that is not http(s) or whose host resolves
 * to any non-public address. A host that does not resolve at all throws the
 * lookup's own error: that may be temporary, so it is not a refusal.
 */
/**
 * Refuses a URL whose host resolves to any private address; otherwise returns the
 * checked address to connect to (none when private targets are allowed: then the
 * name is resolved as usual).
 */
export async function assertPublicTarget(
  url: string,
  options: { allowPrivate: boolean; lookup?: Lookup },
): Promise<string | undefined> {
  const parsed = parseTargetUrl(url);
  if (options.allowPrivate) return undefined;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1'); // [::1] → ::1
  const addresses = isIP(host) ? [host] : await (options.lookup ?? systemLookup)(host);
  if (addresses.length === 0) throw new Error(`${host} does not resolve`);
  const bad = addresses.find(isPrivateAddress);
  if (bad) throw new RefusedTargetError(`url resolves to a private, loopback or reserved address (${bad})`);
  return addresses[0];
}
