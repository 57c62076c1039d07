/**
 * Per-member etcd ports and listen URLs (issue 14, item 8). Expected values are written out from etcd's flag
 * semantics: a member listens for clients on loopback and on its own address (kubeadm's manifest), so a member
 * whose address IS the loopback listens there once; every URL of a member carries its own ports.
 */
import { describe, expect, it } from 'vitest';
import { postJson, problemOf } from './helpers.js';

type Flags = { name: string; value: string }[];
type ConfigAnswer = {
  etcd: { members: { name: string; clientUrl: string; peerUrl: string; etcd: { flags: Flags } }[] };
  apiServer: { etcdServers: string[]; nodes: { kubeApiserver: { flags: Flags } }[] };
  kubeadm: { yaml: string };
};

const flag = (flags: Flags, name: string) => flags.find((f) => f.name === name)?.value;

async function config(body: unknown): Promise<ConfigAnswer> {
  const response = await postJson('/v1/config', body);
  expect(response.status).toBe(200);
  return (await response.json()) as ConfigAnswer;
}

describe('etcd listen URLs and per-member ports', () => {
  it('a member at 127.0.0.1 lists https://127.0.0.1:2379 once in --listen-client-urls', async () => {
    const answer = await config({
      topology: 'stacked',
      controlPlane: { nodes: [{ name: 'cp-1', address: '127.0.0.1' }] },
    });
    expect(flag(answer.etcd.members[0]!.etcd.flags, '--listen-client-urls')).toBe('https://127.0.0.1:2379');
  });

  it('a member at ::1 lists https://[::1]:2379 once; one at 10.0.0.11 listens on loopback and its address', async () => {
    const answer = await config({
      topology: 'stacked',
      controlPlane: {
        nodes: [
          { name: 'cp-1', address: '::1' },
          { name: 'cp-2', address: '10.0.0.11' },
        ],
      },
    });
    const [first, second] = answer.etcd.members;
    expect(flag(first!.etcd.flags, '--listen-client-urls')).toBe('https://[::1]:2379');
    expect(flag(second!.etcd.flags, '--listen-client-urls')).toBe('https://127.0.0.1:2379,https://10.0.0.11:2379');
  });

  it("external members' own ports reach every URL flag, the apiserver's --etcd-servers and kubeadm's endpoints", async () => {
    const answer = await config({
      topology: 'external',
      controlPlane: { nodes: 1 },
      etcd: {
        members: [
          { name: 'etcd-a', address: '10.0.0.21', clientPort: 12379, peerPort: 12380 },
          { name: 'etcd-b', address: '10.0.0.22' },
          { name: 'etcd-c', address: '10.0.0.23', clientPort: 32379 },
        ],
      },
    });
    const a = answer.etcd.members[0]!;
    expect(a.clientUrl).toBe('https://10.0.0.21:12379');
    expect(a.peerUrl).toBe('https://10.0.0.21:12380');
    expect(flag(a.etcd.flags, '--listen-client-urls')).toBe('https://127.0.0.1:12379,https://10.0.0.21:12379');
    expect(flag(a.etcd.flags, '--listen-peer-urls')).toBe('https://10.0.0.21:12380');
    expect(flag(a.etcd.flags, '--initial-cluster')).toBe(
      'etcd-a=https://10.0.0.21:12380,etcd-b=https://10.0.0.22:2380,etcd-c=https://10.0.0.23:2380',
    );
    const servers = 'https://10.0.0.21:12379,https://10.0.0.22:2379,https://10.0.0.23:32379';
    expect(flag(answer.apiServer.nodes[0]!.kubeApiserver.flags, '--etcd-servers')).toBe(servers);
    for (const url of servers.split(',')) expect(answer.kubeadm.yaml).toContain(url);
    // Distinct addresses: each member keeps the configured data dir.
    expect(flag(a.etcd.flags, '--data-dir')).toBe('/var/lib/etcd');
  });

  it('members may share an address only with ports of their own', async () => {
    const clash = await postJson('/v1/config', {
      topology: 'external',
      controlPlane: { nodes: 1 },
      etcd: {
        members: [
          { name: 'etcd-a', address: '10.0.0.21' },
          { name: 'etcd-b', address: '10.0.0.21', clientPort: 12379, peerPort: 2380 },
        ],
      },
    });
    expect(clash.status).toBe(400);
    const problem = await problemOf(clash);
    expect(problem.errors).toEqual([
      expect.objectContaining({ pointer: '/etcd/members/1/address', detail: expect.stringContaining('clientPort') }),
    ]);
    const same = await postJson('/v1/config', {
      topology: 'external',
      controlPlane: { nodes: 1 },
      etcd: { members: [{ name: 'etcd-a', clientPort: 2400, peerPort: 2400 }] },
    });
    expect(same.status).toBe(400);
    expect((await problemOf(same)).errors?.[0]?.pointer).toBe('/etcd/members/0/peerPort');
  });

  it('a port outside 1..65535 is a 400 at its pointer', async () => {
    const response = await postJson('/v1/config', {
      topology: 'external',
      controlPlane: { nodes: 1 },
      etcd: { members: [{ name: 'etcd-a', clientPort: 70000 }] },
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]).toMatchObject({
      pointer: '/etcd/members/0/clientPort',
      detail: expect.stringContaining('65535'),
    });
  });
});
