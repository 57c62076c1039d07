/**
 * @module address
 * Host addresses as users write them: an IPv4 literal, an IPv6 literal, or a DNS name. The configuration
 * generator needs the kind (an IPv6 literal goes in brackets inside a URL); validation needs to reject
 * anything else before it reaches a flag.
 */

export type AddressKind = 'ipv4' | 'ipv6' | 'dns';

const ipv4Octet = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Dotted quad, each octet 0–255 without leading zeros (which some parsers read as octal). */
export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => ipv4Octet.test(part));
}

const hexGroup = /^[0-9a-fA-F]{1,4}$/;

/** RFC 4291 text form: eight groups, one "::" for a run of zeros, optionally an IPv4 tail. No zone ids. */
export function isIpv6(text: string): boolean {
  if (text.length > 45 || !text.includes(':')) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (half: string): string[] | undefined => (half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return false;
  const all = [...head, ...tail];
  let groups = 0;
  for (let i = 0; i < all.length; i++) {
    const group = all[i]!;
    if (hexGroup.test(group)) groups += 1;
    // An embedded IPv4 address counts as two groups and may only come last.
    else if (i === all.length - 1 && isIpv4(group)) groups += 2;
    else return false;
  }
  return halves.length === 2 ? groups <= 7 : groups === 8;
}

const dnsLabel = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/**
 * RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, at most 63 characters each and
 * 253 in all. The last label may not be all digits, so a mistyped IPv4 address such as 10.0.0.256 is not
 * mistaken for a name.
 */
function isDnsName(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  const labels = text.split('.');
  if (!labels.every((label) => dnsLabel.test(label))) return false;
  return !/^\d+$/.test(labels[labels.length - 1]!);
}

/** The kind of a valid address, or undefined when the text is none of the three. */
export function addressKind(text: string): AddressKind | undefined {
  if (isIpv4(text)) return 'ipv4';
  if (isIpv6(text)) return 'ipv6';
  if (isDnsName(text)) return 'dns';
  return undefined;
}

/** The host as it goes inside a URL: IPv6 literals in brackets (RFC 3986), everything else as is. */
export function urlHost(address: string): string {
  return isIpv6(address) ? `[${address}]` : address;
}

/**
 * Splits "host:port" (IPv6 hosts in brackets, "[::1]:6443"); undefined when the host is not a valid address
 * or the port is not 1–65535.
 */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const host = match[1] ?? match[2]!;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  if (match[1] !== undefined ? !isIpv6(host) : addressKind(host) === undefined || isIpv6(host)) return undefined;
  return { host, port };
}
