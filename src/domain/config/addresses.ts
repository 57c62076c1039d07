/**
 * @module config/addresses
 * Host addresses as they appear in URLs and listen flags, and the placeholders used when the request gave
 * no address.
 *
 * etcd binds listen URLs to IP addresses only (a host name there fails with "expected IP in URL for
 * binding"), so a member known by a DNS name listens on the wildcard address of its family and advertises
 * the name. A missing address becomes `<name-address>`: angle brackets cannot be mistaken for a real host,
 * and a copy-pasted command fails at once instead of reaching some other machine.
 */
import { isIpv4, isIpv6 } from '../address.js';

export const etcdClientPort = 2379;
export const etcdPeerPort = 2380;

export type AddressKind = 'ipv4' | 'ipv6' | 'dns' | 'placeholder';

export interface HostAddress {
  /** As written in a URL's host part: IPv6 in brackets. */
  urlHost: string;
  /** Host part for etcd's listen URLs: an IP literal (wildcard for DNS names), bracketed for IPv6. */
  listenHost: string;
  kind: AddressKind;
}

export function placeholderFor(hostName: string): string {
  return `<${hostName}-address>`;
}

export function hostAddress(hostName: string, address: string | undefined): HostAddress {
  if (address === undefined || address === '') {
    const placeholder = placeholderFor(hostName);
    return { urlHost: placeholder, listenHost: placeholder, kind: 'placeholder' };
  }
  if (isIpv6(address)) return { urlHost: `[${address}]`, listenHost: `[${address}]`, kind: 'ipv6' };
  if (isIpv4(address)) return { urlHost: address, listenHost: address, kind: 'ipv4' };
  return { urlHost: address, listenHost: '0.0.0.0', kind: 'dns' };
}

/** The loopback a node's local clients use: kubeadm picks `::1` when the node's address is IPv6. */
export function loopbackHost(kind: AddressKind): string {
  return kind === 'ipv6' ? '[::1]' : '127.0.0.1';
}

export function httpsUrl(urlHost: string, port: number): string {
  return `https://${urlHost}:${port}`;
}
