import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCommandLine } from '../src/domain/config/command-line.js';
import { type ConfigAnswer, generateConfig } from '../src/domain/config/index.js';
import { makeProposal } from './fixtures/proposals.js';

// Expected flags are written out by hand from the upstream files the claims ledger names (docs/reference/ledger.md) and kubeadm's
// manifests (local.go, manifests.go), not copied from the generator's output.

function flagsOf(answer: ConfigAnswer, member: string): Record<string, string> {
  const config = answer.etcd!.members.find((m) => m.name === member)!;
  return Object.fromEntries(config.etcd.flags.map((f) => [f.name, f.value]));
}

/** Every command line in an answer, to check text and structure agree. */
function allCommandLines(answer: ConfigAnswer) {
  return [
    ...answer.etcd!.members.map((m) => m.etcd),
    ...answer.etcd!.learnerProcedures.flatMap((p) => p.steps.map((s) => s.command)),
    ...answer.apiServer!.nodes.map((n) => n.kubeApiserver),
    answer.controllerManager!,
    answer.scheduler!,
  ];
}

const stacked3 = () => makeProposal({ addresses: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] });

describe('etcd member flags, stacked, 3 nodes', () => {
  const answer = generateConfig(stacked3());

  it("gives cp-1 the complete flag set, in kubeadm's layout", () => {
    const token = answer.etcd!.initialClusterToken;
    expect(token).toMatch(/^etcd-cluster-[0-9a-f]{8}$/);
    expect(answer.etcd!.members[0]!.etcd.flags).toEqual([
      { name: '--name', value: 'cp-1' },
      { name: '--data-dir', value: '/var/lib/etcd' },
      { name: '--listen-peer-urls', value: 'https://10.0.0.1:2380' },
      { name: '--initial-advertise-peer-urls', value: 'https://10.0.0.1:2380' },
      { name: '--listen-client-urls', value: 'https://127.0.0.1:2379,https://10.0.0.1:2379' },
      { name: '--advertise-client-urls', value: 'https://10.0.0.1:2379' },
      {
        name: '--initial-cluster',
        value: 'cp-1=https://10.0.0.1:2380,cp-2=https://10.0.0.2:2380,cp-3=https://10.0.0.3:2380',
      },
      { name: '--initial-cluster-state', value: 'new' },
      { name: '--initial-cluster-token', value: token },
      { name: '--heartbeat-interval', value: '100' },
      { name: '--election-timeout', value: '1000' },
      { name: '--pre-vote', value: 'true' },
      { name: '--cert-file', value: '/etc/kubernetes/pki/etcd/server.crt' },
      { name: '--key-file', value: '/etc/kubernetes/pki/etcd/server.key' },
      { name: '--trusted-ca-file', value: '/etc/kubernetes/pki/etcd/ca.crt' },
      { name: '--client-cert-auth', value: 'true' },
      { name: '--peer-cert-file', value: '/etc/kubernetes/pki/etcd/peer.crt' },
      { name: '--peer-key-file', value: '/etc/kubernetes/pki/etcd/peer.key' },
      { name: '--peer-trusted-ca-file', value: '/etc/kubernetes/pki/etcd/ca.crt' },
      { name: '--peer-client-cert-auth', value: 'true' },
    ]);
  });

  it('lists in --initial-cluster exactly the peer URL each member advertises, the same on every member', () => {
    const clusters = answer.etcd!.members.map((m) => flagsOf(answer, m.name)['--initial-cluster']);
    expect(new Set(clusters).size).toBe(1);
    const entries = Object.fromEntries(clusters[0]!.split(',').map((entry) => entry.split(/=(.*)/s).slice(0, 2)));
    for (const member of answer.etcd!.members) {
      expect(entries[member.name]).toBe(flagsOf(answer, member.name)['--initial-advertise-peer-urls']);
    }
    expect(Object.keys(entries)).toHaveLength(3);
  });

  it("points every apiserver at its local member only, with kubeadm's certificate paths", () => {
    for (const node of answer.apiServer!.nodes) {
      expect(node.kubeApiserver.flags).toEqual([
        { name: '--etcd-servers', value: 'https://127.0.0.1:2379' },
        { name: '--etcd-cafile', value: '/etc/kubernetes/pki/etcd/ca.crt' },
        { name: '--etcd-certfile', value: '/etc/kubernetes/pki/apiserver-etcd-client.crt' },
        { name: '--etcd-keyfile', value: '/etc/kubernetes/pki/apiserver-etcd-client.key' },
      ]);
    }
    expect(answer.apiServer!.alternative!.etcdServers).toBe(
      'https://10.0.0.1:2379,https://10.0.0.2:2379,https://10.0.0.3:2379',
    );
    expect(answer.apiServer!.alternative!.tradeOff).toMatch(/only its local etcd member fails/);
  });

  it('is startable, with the quorum figures of 3 voters', () => {
    expect(answer).toMatchObject({
      startable: true,
      voters: 3,
      learners: 0,
      quorum: 2,
      tolerableFailures: 1,
      placeholders: [],
    });
    expect(answer.findings).toEqual([]);
    expect(answer.summary).toContain(
      'starts: every component accepts its flags. etcd needs 2 of 3 voters; 1 may fail.',
    );
  });

  it('renders text that reads back to the same structure, for every command', () => {
    for (const line of allCommandLines(answer)) {
      expect(parseCommandLine(line.text)).toEqual({ command: line.command, args: line.args, flags: line.flags });
    }
  });
});

describe('addresses', () => {
  it('uses [::1] and bracketed URLs for an IPv6 node', () => {
    const answer = generateConfig(makeProposal({ addresses: ['fd00::1', 'fd00::2', 'fd00::3'] }));
    expect(answer.apiServer!.nodes[0]!.kubeApiserver.flags[0]).toEqual({
      name: '--etcd-servers',
      value: 'https://[::1]:2379',
    });
    const flags = flagsOf(answer, 'cp-2');
    expect(flags['--listen-client-urls']).toBe('https://[::1]:2379,https://[fd00::2]:2379');
    expect(flags['--initial-advertise-peer-urls']).toBe('https://[fd00::2]:2380');
    expect(flags['--initial-cluster']).toBe(
      'cp-1=https://[fd00::1]:2380,cp-2=https://[fd00::2]:2380,cp-3=https://[fd00::3]:2380',
    );
  });

  it('listens on the wildcard and advertises the name for a DNS address (etcd binds IPs only)', () => {
    const answer = generateConfig(
      makeProposal({ topology: 'external', members: 3, addresses: ['etcd-a.internal', '10.0.1.2', '10.0.1.3'] }),
    );
    const flags = flagsOf(answer, 'etcd-1');
    expect(flags['--listen-peer-urls']).toBe('https://0.0.0.0:2380');
    expect(flags['--listen-client-urls']).toBe('https://0.0.0.0:2379');
    expect(flags['--advertise-client-urls']).toBe('https://etcd-a.internal:2379');
    expect(flags['--initial-advertise-peer-urls']).toBe('https://etcd-a.internal:2380');
  });

  it('marks missing addresses with placeholders, lists them, and warns', () => {
    const answer = generateConfig(makeProposal());
    expect(flagsOf(answer, 'cp-1')['--initial-advertise-peer-urls']).toBe('https://<cp-1-address>:2380');
    expect(answer.placeholders.map((p) => p.placeholder)).toEqual([
      '<cp-1-address>',
      '<cp-2-address>',
      '<cp-3-address>',
    ]);
    const warning = answer.findings.find((f) => f.code === 'CONFIG_ADDRESS_PLACEHOLDERS')!;
    expect(warning.severity).toBe('warning');
    expect(warning.pointers).toEqual(['/controlPlane/nodes/0', '/controlPlane/nodes/1', '/controlPlane/nodes/2']);
    expect(answer.etcd!.members[0]!.etcd.text).toContain("'--initial-advertise-peer-urls=https://<cp-1-address>:2380'");
    expect(answer.summary).toContain('placeholders');
    expect(answer.startable).toBe(true);
  });
});

describe('external etcd with a learner', () => {
  // 4 members, the 4th a learner: 3 voters.
  const proposal = makeProposal({
    topology: 'external',
    members: 4,
    learners: [3],
    addresses: ['10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4'],
  });
  const answer = generateConfig(proposal);

  it('lists only the voters in --etcd-servers and says why the learner is left out', () => {
    for (const node of answer.apiServer!.nodes) {
      expect(node.kubeApiserver.flags[0]).toEqual({
        name: '--etcd-servers',
        value: 'https://10.0.1.1:2379,https://10.0.1.2:2379,https://10.0.1.3:2379',
      });
    }
    expect(answer.apiServer!.nodes).toHaveLength(3);
    expect(answer.apiServer!.excluded).toEqual([
      { member: 'etcd-4', reason: expect.stringContaining('rpc not supported for learner') },
    ]);
    expect(answer.apiServer!.alternative).toBeUndefined();
  });

  it('bootstraps the voters without the learner, and starts the learner as existing with all four', () => {
    expect(flagsOf(answer, 'etcd-1')['--initial-cluster']).toBe(
      'etcd-1=https://10.0.1.1:2380,etcd-2=https://10.0.1.2:2380,etcd-3=https://10.0.1.3:2380',
    );
    expect(flagsOf(answer, 'etcd-1')['--initial-cluster-state']).toBe('new');
    const learner = flagsOf(answer, 'etcd-4');
    expect(learner['--initial-cluster-state']).toBe('existing');
    expect(learner['--initial-cluster']).toBe(
      'etcd-1=https://10.0.1.1:2380,etcd-2=https://10.0.1.2:2380,etcd-3=https://10.0.1.3:2380,etcd-4=https://10.0.1.4:2380',
    );
    expect(Object.keys(learner).some((flag) => flag.includes('learner'))).toBe(false);
  });

  it('generates member add --learner, start, check and promote, in that order', () => {
    const [procedure] = answer.etcd!.learnerProcedures;
    expect(procedure!.member).toBe('etcd-4');
    expect(procedure!.steps.map((s) => s.action)).toEqual(['add', 'start', 'check', 'promote']);
    const add = procedure!.steps[0]!.command;
    expect(add.command).toBe('etcdctl');
    expect(add.args).toEqual(['member', 'add', 'etcd-4']);
    expect(add.flags).toContainEqual({ name: '--learner', value: 'true' });
    expect(add.flags).toContainEqual({ name: '--peer-urls', value: 'https://10.0.1.4:2380' });
    expect(add.flags).toContainEqual({
      name: '--endpoints',
      value: 'https://10.0.1.1:2379,https://10.0.1.2:2379,https://10.0.1.3:2379',
    });
    expect(procedure!.steps[1]!.command).toEqual(answer.etcd!.members[3]!.etcd);
    const promote = procedure!.steps[3]!.command;
    expect(promote.args).toEqual(['member', 'promote', '<member-id-of-etcd-4>']);
    expect(answer.findings.map((f) => f.code)).toContain('LEARNERS_JOIN_AFTER_BOOTSTRAP');
    expect(answer).toMatchObject({ voters: 3, learners: 1, quorum: 2, tolerableFailures: 1, startable: true });
  });

  it('renders every command consistently', () => {
    for (const line of allCommandLines(answer)) {
      expect(parseCommandLine(line.text)).toEqual({ command: line.command, args: line.args, flags: line.flags });
    }
  });

  it('starts with two learners on etcd 3.5: the voters come up, only the second member add is refused', () => {
    // etcd 3.5 fixes maxLearners = 1; etcdctl prints ErrGRPCTooManyLearners (api/v3rpc/rpctypes/error.go, v3.5.33).
    const two = generateConfig(makeProposal({ topology: 'external', members: 5, learners: [3, 4] }));
    expect(two.startable).toBe(true);
    const finding = two.findings.find((f) => f.code === 'TOO_MANY_LEARNERS');
    expect(finding?.message).toContain('"etcdserver: too many learner members in cluster"');
    expect(finding?.message).toContain('The voters start');
    expect(two.summary).not.toContain('would not start');
  });
});

describe('versions and timing', () => {
  it('gives --pre-vote explicitly: false for 3.4, true for 3.5; --max-learners only for 3.6', () => {
    expect(flagsOf(generateConfig(makeProposal({ version: '3.4' })), 'cp-1')['--pre-vote']).toBe('false');
    expect(flagsOf(generateConfig(makeProposal({ version: '3.5' })), 'cp-1')['--max-learners']).toBeUndefined();
    const v36 = flagsOf(generateConfig(makeProposal({ version: '3.6' })), 'cp-1');
    expect(v36['--pre-vote']).toBe('true');
    expect(v36['--max-learners']).toBe('1');
  });

  it("still answers for timings etcd refuses, with startable false and etcd's text", () => {
    const answer = generateConfig(makeProposal({ heartbeatIntervalMs: 100, electionTimeoutMs: 400 }));
    expect(answer.startable).toBe(false);
    expect(flagsOf(answer, 'cp-1')['--election-timeout']).toBe('400');
    expect(answer.findings[0]!.message).toContain(
      '--election-timeout[400ms] should be at least as 5 times as --heartbeat-interval[100ms]',
    );
    expect(answer.summary).toContain('would not start');
  });

  it("writes a member's own timing into its flags", () => {
    const proposal = makeProposal();
    proposal.etcdMembers[1]!.heartbeatIntervalMs = 150;
    proposal.etcdMembers[1]!.electionTimeoutMs = 1500;
    const answer = generateConfig(proposal);
    expect(flagsOf(answer, 'cp-2')['--heartbeat-interval']).toBe('150');
    expect(flagsOf(answer, 'cp-1')['--heartbeat-interval']).toBe('100');
    expect(answer.findings.filter((f) => f.code === 'ETCD_TIMING_MISMATCH')).toHaveLength(2);
  });

  it('gives the controller-manager and scheduler the lease flags as Go durations', () => {
    const answer = generateConfig(makeProposal({ leaseDurationS: 30, renewDeadlineS: 20, retryPeriodS: 2.5 }));
    expect(answer.controllerManager!.flags).toEqual([
      { name: '--leader-elect', value: 'true' },
      { name: '--leader-elect-lease-duration', value: '30s' },
      { name: '--leader-elect-renew-deadline', value: '20s' },
      { name: '--leader-elect-retry-period', value: '2500ms' },
      { name: '--leader-elect-resource-lock', value: 'leases' },
      { name: '--leader-elect-resource-name', value: 'kube-controller-manager' },
      { name: '--leader-elect-resource-namespace', value: 'kube-system' },
    ]);
    expect(answer.scheduler!.flags).toContainEqual({ name: '--leader-elect-resource-name', value: 'kube-scheduler' });
  });

  it('uses overridden certificate paths everywhere', () => {
    const answer = generateConfig(stacked3(), { paths: { etcdCaFile: '/pki/ca.pem', etcdDataDir: '/data/etcd' } });
    expect(flagsOf(answer, 'cp-1')['--trusted-ca-file']).toBe('/pki/ca.pem');
    expect(flagsOf(answer, 'cp-1')['--peer-trusted-ca-file']).toBe('/pki/ca.pem');
    expect(flagsOf(answer, 'cp-1')['--data-dir']).toBe('/data/etcd');
    expect(answer.apiServer!.nodes[0]!.kubeApiserver.flags).toContainEqual({
      name: '--etcd-cafile',
      value: '/pki/ca.pem',
    });
    expect(flagsOf(answer, 'cp-1')['--cert-file']).toBe('/etc/kubernetes/pki/etcd/server.crt');
  });
});

describe('kubeadm ClusterConfiguration (v1beta4)', () => {
  it('stacked: etcd.local with the timing extraArgs as a name/value list, and the load balancer', () => {
    const answer = generateConfig(
      makeProposal({ endpoint: 'lb.example.internal:6443', heartbeatIntervalMs: 150, electionTimeoutMs: 1500 }),
    );
    const document = parse(answer.kubeadm!.yaml);
    expect(document).toEqual(answer.kubeadm!.document);
    expect(document.apiVersion).toBe('kubeadm.k8s.io/v1beta4');
    expect(document.kind).toBe('ClusterConfiguration');
    expect(document.controlPlaneEndpoint).toBe('lb.example.internal:6443');
    expect(document.etcd.external).toBeUndefined();
    expect(document.etcd.local.dataDir).toBe('/var/lib/etcd');
    expect(document.etcd.local.extraArgs).toEqual([
      { name: 'heartbeat-interval', value: '150' },
      { name: 'election-timeout', value: '1500' },
      { name: 'pre-vote', value: 'true' },
    ]);
    expect(document.controllerManager.extraArgs).toEqual([
      { name: 'leader-elect-lease-duration', value: '15s' },
      { name: 'leader-elect-renew-deadline', value: '10s' },
      { name: 'leader-elect-retry-period', value: '2s' },
    ]);
    expect(document.scheduler.extraArgs).toHaveLength(3);
  });

  it("external: etcd.external with the voters' endpoints and the apiserver client pair", () => {
    const answer = generateConfig(
      makeProposal({
        topology: 'external',
        members: 4,
        learners: [3],
        addresses: ['10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4'],
      }),
    );
    const document = parse(answer.kubeadm!.yaml);
    expect(document).toEqual(answer.kubeadm!.document);
    expect(document.etcd).toEqual({
      external: {
        endpoints: ['https://10.0.1.1:2379', 'https://10.0.1.2:2379', 'https://10.0.1.3:2379'],
        caFile: '/etc/kubernetes/pki/etcd/ca.crt',
        certFile: '/etc/kubernetes/pki/apiserver-etcd-client.crt',
        keyFile: '/etc/kubernetes/pki/apiserver-etcd-client.key',
      },
    });
    expect(document.controlPlaneEndpoint).toBe('k8s-api.cluster.internal:6443');
  });
});

describe('hosted platform', () => {
  it('generates nothing and says why', () => {
    const answer = generateConfig(makeProposal({ platform: 'hosted' }));
    expect(answer).toMatchObject({
      etcd: null,
      apiServer: null,
      controllerManager: null,
      scheduler: null,
      kubeadm: null,
    });
    expect(answer.findings.map((f) => f.code)).toEqual(['HOSTED_CONTROL_PLANE_NOT_CONFIGURABLE']);
  });
});
