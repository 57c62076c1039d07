/**
 * A generated 3-member etcd cluster on one host, run exactly as generated (issue 14, item 8): the request
 * gives every member the address 127.0.0.1 and ports of its own, and certificate and data paths in a
 * temporary directory (the paths a request may override); each member's flags then go to etcd 3.4 unchanged,
 * TLS included, with certificates made here by openssl. The kube-apiserver's own etcd flags (--etcd-servers,
 * --etcd-cafile, --etcd-certfile, --etcd-keyfile) are what etcdctl uses to write and read a key.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { Processes, argv, eventually, run } from './etcd-harness.js';

const processes = new Processes();
afterAll(async () => {
  await processes.cleanup();
});

/** A CA and one certificate for 127.0.0.1, good for serving and as a client (etcd checks both EKUs). */
function makeCertificates(dir: string) {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-etcd-ca');
  openssl('req', ...ecKey, '-keyout', 'member.key', '-out', 'member.csr', '-subj', '/CN=etcd');
  writeFileSync(
    join(dir, 'member.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'member.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'member.crt',
    '-days',
    '1',
    '-extfile',
    'member.ext',
  );
  return { ca: join(dir, 'ca.crt'), cert: join(dir, 'member.crt'), key: join(dir, 'member.key') };
}

// Ports of their own (other suites use 23000–24999).
const members = [0, 1, 2].map((i) => ({
  name: `etcd-${i + 1}`,
  address: '127.0.0.1',
  clientPort: 25401 + 10 * i,
  peerPort: 25402 + 10 * i,
}));

describe('a generated cluster on one host, exactly as generated', () => {
  it('three members on 127.0.0.1 with their own ports form a cluster; the apiserver flags write and read a key', async () => {
    const dir = processes.tempDir('one-host');
    const tls = makeCertificates(dir);
    const paths = {
      etcdCaFile: tls.ca,
      etcdServerCertFile: tls.cert,
      etcdServerKeyFile: tls.key,
      etcdPeerCertFile: tls.cert,
      etcdPeerKeyFile: tls.key,
      apiserverEtcdClientCertFile: tls.cert,
      apiserverEtcdClientKeyFile: tls.key,
      etcdctlCertFile: tls.cert,
      etcdctlKeyFile: tls.key,
      etcdDataDir: join(dir, 'data'),
    };
    const response = await createApp().request('/v1/config', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        topology: 'external',
        controlPlane: { nodes: [{ name: 'cp-1', address: '127.0.0.2' }] },
        etcd: { version: '3.4', members },
        paths,
      }),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as {
      startable: boolean;
      etcd: { members: { name: string; etcd: { flags: { name: string; value: string }[] } }[] };
      apiServer: { nodes: { kubeApiserver: { flags: { name: string; value: string }[] } }[] };
    };
    expect(answer.startable).toBe(true);

    // What the request asked for, worked out by hand: each member's ports in every URL flag, loopback once.
    for (const [i, member] of answer.etcd.members.entries()) {
      const flag = (name: string) => member.etcd.flags.find((f) => f.name === name)!.value;
      const { clientPort, peerPort } = members[i]!;
      expect(flag('--listen-client-urls')).toBe(`https://127.0.0.1:${clientPort}`);
      expect(flag('--advertise-client-urls')).toBe(`https://127.0.0.1:${clientPort}`);
      expect(flag('--listen-peer-urls')).toBe(`https://127.0.0.1:${peerPort}`);
      expect(flag('--initial-advertise-peer-urls')).toBe(`https://127.0.0.1:${peerPort}`);
      expect(flag('--initial-cluster')).toBe(members.map((m) => `${m.name}=https://127.0.0.1:${m.peerPort}`).join(','));
      // One machine: the members cannot share a data directory.
      expect(flag('--data-dir')).toBe(join(dir, 'data', member.name));
    }
    const apiserver = answer.apiServer.nodes[0]!.kubeApiserver.flags;
    const apiFlag = (name: string) => apiserver.find((f) => f.name === name)!.value;
    expect(apiFlag('--etcd-servers')).toBe(members.map((m) => `https://127.0.0.1:${m.clientPort}`).join(','));

    for (const member of answer.etcd.members) processes.start(member.name, 'etcd', argv(member.etcd.flags));

    // etcdctl as the apiserver would connect: its --etcd-servers and its client certificate.
    const asApiserver = [
      `--endpoints=${apiFlag('--etcd-servers')}`,
      `--cacert=${apiFlag('--etcd-cafile')}`,
      `--cert=${apiFlag('--etcd-certfile')}`,
      `--key=${apiFlag('--etcd-keyfile')}`,
      '--dial-timeout=2s',
      '--command-timeout=3s',
    ];
    await eventually(
      async () => ((await run('etcdctl', [...asApiserver, 'put', 'one-host', 'works'])).code === 0 ? true : undefined),
      30_000,
      'the cluster to take a write',
    );
    const read = await run('etcdctl', [...asApiserver, 'get', 'one-host', '--print-value-only']);
    expect(read.stdout.trim()).toBe('works');
    const list = await run('etcdctl', [...asApiserver, 'member', 'list']);
    expect(list.stdout.trim().split('\n')).toHaveLength(3);
  }, 90_000);
});
