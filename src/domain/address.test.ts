import { describe, expect, it } from 'vitest';
import { addressKind, parseHostPort, urlHost } from './address.js';

describe('addressKind', () => {
  it.each([
    ['10.0.0.11', 'ipv4'],
    ['0.0.0.0', 'ipv4'],
    ['255.255.255.255', 'ipv4'],
    ['fd00::11', 'ipv6'],
    ['::1', 'ipv6'],
    ['::', 'ipv6'],
    ['2001:db8:0:0:0:0:0:1', 'ipv6'],
    ['::ffff:10.0.0.1', 'ipv6'],
    ['cp-1', 'dns'],
    ['cp-1.example.internal', 'dns'],
    ['etcd-1.zone-a.example.com', 'dns'],
  ])('%s is %s', (text, kind) => {
    expect(addressKind(text)).toBe(kind);
  });

  it.each([
    '',
    '10.0.0.256', // octet out of range: not an IPv4 address, and an all-digit last label is not a name
    '10.0.0',
    '010.0.0.1', // leading zero: octal in some parsers
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    'fe80::1%eth0', // zone ids do not belong in a flag
    '[fd00::1]', // brackets belong to URLs, not addresses
    '-cp.example',
    'cp_1.example', // underscore is not a host-name character
    'a..b',
    'host name',
    'x'.repeat(64),
  ])('rejects %j', (text) => {
    expect(addressKind(text)).toBeUndefined();
  });
});

describe('urlHost and parseHostPort', () => {
  it('brackets IPv6 only', () => {
    expect(urlHost('fd00::1')).toBe('[fd00::1]');
    expect(urlHost('10.0.0.1')).toBe('10.0.0.1');
  });

  it('splits host:port, with IPv6 in brackets', () => {
    expect(parseHostPort('k8s-api.example.internal:6443')).toEqual({ host: 'k8s-api.example.internal', port: 6443 });
    expect(parseHostPort('[fd00::10]:6443')).toEqual({ host: 'fd00::10', port: 6443 });
    expect(parseHostPort('10.0.0.10:443')).toEqual({ host: '10.0.0.10', port: 443 });
  });

  it.each(['k8s-api', 'k8s-api:0', 'k8s-api:65536', 'fd00::10:6443', '[10.0.0.1]:6443', ':6443', 'a b:6443'])(
    'rejects %j',
    (text) => {
      expect(parseHostPort(text)).toBeUndefined();
    },
  );
});
