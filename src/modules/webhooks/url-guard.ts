import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * The SSRF guard: a webhook may only reach public addresses. Checked when an endpoint is created
 * or changed (the URL and every address its host resolves to), and again at each delivery through
 * the request's own DNS lookup, so a host whose answer changes later (DNS rebinding) cannot reach
 * a private address either. WEBHOOK_ALLOW_PRIVATE_URLS=true turns both off (local receivers, tests).
 */

export const MAX_WEBHOOK_URL_LENGTH = 2048;

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64 (an IPv4 address behind it)
  ['64:ff9b:1::', 48], // local NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (an IPv4 address inside)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (::ffff:10.0.0.1, ::ffff:a00:1), if any. */
function embeddedIpv4(address: string): string | null {
  const match = /^::(?:ffff:(?:0:)?)?((?:\d+\.){3}\d+)$/i.exec(address);
  if (match) return match[1];
  const hex = /^::(?:ffff:(?:0:)?)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True when the address is public: not loopback, private, link-local, CGNAT, multicast, reserved or unspecified. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  const unbracketed = address.toLowerCase().split('%')[0];
  const v4 = embeddedIpv4(unbracketed);
  if (v4) return isIP(v4) === 4 && !blocked.check(v4, 'ipv4');
  return !blocked.check(unbracketed, 'ipv6');
}

export interface UrlGuardOptions {
  /** WEBHOOK_ALLOW_PRIVATE_URLS: no address check, and http allowed in production. */
  allowPrivate: boolean;
  /** In production, https is required (unless allowPrivate). */
  production: boolean;
}

export type ResolveHost = (hostname: string) => Promise<string[]>;

const systemResolve: ResolveHost = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve((addresses as LookupAddress[]).map((a) => a.address)),
    ),
  );

/**
 * Why a webhook URL is refused, as a sentence a person can act on; null when it is fine. The host
 * is resolved: every address it has must be public.
 */
export async function webhookUrlProblem(
  raw: string,
  options: UrlGuardOptions,
  resolve: ResolveHost = systemResolve,
): Promise<string | null> {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return `The URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'The URL is not a valid absolute URL, like https://example.com/webhooks';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The URL must start with https:// (or http://)';
  if (url.protocol === 'http:' && options.production && !options.allowPrivate) return 'The URL must use https://';
  if (url.username || url.password) return 'The URL must not contain a user name or password: authenticate with the signature instead';
  if (url.hash) return 'The URL must not contain a #fragment';
  if (options.allowPrivate) return null;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) return isPublicAddress(host) ? null : privateProblem(host);
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return `The host ${host} does not resolve: check the name (it must be reachable from the internet)`;
  }
  if (addresses.length === 0) return `The host ${host} does not resolve: check the name`;
  const bad = addresses.find((a) => !isPublicAddress(a));
  return bad ? privateProblem(host, bad) : null;
}

function privateProblem(host: string, address = host): string {
  const via = address === host ? '' : ` (it resolves to ${address})`;
  return `The host ${host}${via} is a private, loopback, link-local or reserved address: webhooks must reach a public address`;
}

/** Thrown by guardedLookup: a delivery found its host resolving to a private address. */
export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
}

/**
 * A `lookup` for http.request that refuses private addresses, so the address connected to is the
 * one checked (no window for a DNS answer to change between a check and the connection).
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    if (bad || list.length === 0) {
      return callback(new PrivateAddressError(`${hostname} resolves to a private address`), '', 0);
    }
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    return callback(null, list[0].address, list[0].family);
  });
};
