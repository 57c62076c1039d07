/**
 * The generated etcd member flags, run as a real etcd cluster (etcd 3.4 from Debian; .ci/run installs it).
 *
 * For one machine the flags are mapped to loopback (see etcd-harness.ts): https URLs on the members' own
 * addresses become plain-http URLs on 127.0.0.1 ports 23000–23999, the TLS flags are dropped (plain HTTP
 * is allowed for this test only) and data directories are temporary. Every other flag, including
 * --initial-cluster, --initial-cluster-state, --initial-cluster-token, the timings and --pre-vote, is
 * passed exactly as generated.
 *
 * Each test checks the answer's own claims: the cluster forms a quorum and takes a write; it keeps taking
 * writes with `tolerableFailures` members SIGKILLed; one more and writes stop.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generateConfig } from '../../src/domain/config/index.js';
import { memberEndpoints } from '../../src/domain/config/etcd-members.js';
import { makeProposal, type FixtureOptions } from '../fixtures/proposals.js';
import { Processes, argv, eventually, mapFlags, portMap, run, tlsFlags } from './etcd-harness.js';

const processes = new Processes();
afterAll(async () => {
  await processes.cleanup();
});

const etcdctlTimeouts = ['--dial-timeout=1s', '--command-timeout=2s'];

async function put(endpoints: string[], key: string, value: string) {
  return run('etcdctl', [`--endpoints=${endpoints.join(',')}`, ...etcdctlTimeouts, 'put', key, value]);
}

async function get(endpoints: string[], key: string) {
  return run('etcdctl', [`--endpoints=${endpoints.join(',')}`, ...etcdctlTimeouts, 'get', key, '--print-value-only']);
}

/** Starts every voter of the proposal from its generated flags; returns the names and client URLs. */
async function startVoters(label: string, options: FixtureOptions, basePort: number) {
  const proposal = makeProposal(options);
  const answer = generateConfig(proposal);
  const map = portMap(memberEndpoints(proposal), basePort);
  const dir = processes.tempDir(label);
  const voters = answer.etcd!.members.filter((m) => !m.learner);
  for (const member of voters) {
    const flags = mapFlags(member.etcd.flags, map, member.name, join(dir, member.name));
    // Only URLs and the data directory changed; everything else is as generated.
    const generated = member.etcd.flags.filter((f) => !tlsFlags.has(f.name));
    expect(flags.map((f) => f.name)).toEqual(generated.map((f) => f.name));
    for (const [i, flag] of flags.entries()) {
      if (!/url|cluster$|data-dir/.test(flag.name)) expect(flag.value).toBe(generated[i]!.value);
      expect(flag.value).not.toContain('https://');
    }
    processes.start(`${label}/${member.name}`, 'etcd', argv(flags));
  }
  const clientUrls = voters.map((m) => map.clientUrlOf.get(m.name)!);
  return { proposal, answer, map, dir, voters, clientUrls };
}

/** The client URL of the member that leads, from etcdctl endpoint status (each member reports the leader's ID). */
async function leaderUrl(endpoints: string[]): Promise<string> {
  const status = await run('etcdctl', [
    `--endpoints=${endpoints.join(',')}`,
    ...etcdctlTimeouts,
    'endpoint',
    'status',
    '--write-out=json',
  ]);
  // Member IDs are uint64: keep them as strings rather than lose precision in a double.
  const exact = status.stdout.replace(/"(leader|member_id)":(\d+)/g, '"$1":"$2"');
  const entries = JSON.parse(exact) as {
    Endpoint: string;
    Status: { leader: string; header: { member_id: string } };
  }[];
  const leading = entries.find((e) => e.Status.leader === e.Status.header.member_id);
  if (!leading) throw new Error(`no leader in ${status.stdout}`);
  return leading.Endpoint;
}

async function expectWritable(endpoints: string[], key: string, timeoutMs: number) {
  await eventually(
    async () => ((await put(endpoints, key, `value-of-${key}`)).code === 0 ? true : undefined),
    timeoutMs,
    `a write of ${key}`,
  );
  const read = await get(endpoints, key);
  expect(read.stdout.trim()).toBe(`value-of-${key}`);
}

describe.each([
  {
    label: 'stacked-3',
    options: { topology: 'stacked', nodes: 3, addresses: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] },
    basePort: 23000,
  },
  {
    label: 'external-5',
    options: {
      topology: 'external',
      members: 5,
      addresses: ['10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4', '10.0.1.5'],
    },
    basePort: 23100,
  },
] as { label: string; options: FixtureOptions; basePort: number }[])(
  'a real etcd cluster from the $label flags',
  ({ label, options, basePort }) => {
    it('forms a quorum, survives tolerableFailures SIGKILLs, and stops writing after one more', async () => {
      const { answer, voters, clientUrls } = await startVoters(label, options, basePort);
      const tolerated = answer.tolerableFailures!; // self-managed: never null
      expect(tolerated).toBe(voters.length === 5 ? 2 : 1);

      await expectWritable(clientUrls, 'first', 20_000);
      const list = await run('etcdctl', [`--endpoints=${clientUrls.join(',')}`, ...etcdctlTimeouts, 'member', 'list']);
      expect(list.stdout.trim().split('\n')).toHaveLength(voters.length);
      expect(list.stdout).toContain('started');

      // Kill `tolerated` members by PID, the leader first, so the survivors must elect a new one.
      const leader = await leaderUrl(clientUrls);
      const order = [...clientUrls.keys()].sort(
        (a, b) => Number(clientUrls[b] === leader) - Number(clientUrls[a] === leader),
      );
      expect(clientUrls[order[0]!]).toBe(leader);
      for (const index of order.slice(0, tolerated)) await processes.kill(`${label}/${voters[index]!.name}`);
      const survivors = order.slice(tolerated).map((index) => clientUrls[index]!);
      await expectWritable(survivors, 'after-tolerated-failures', 15_000);
      expect(await leaderUrl(survivors)).not.toBe(leader);

      await processes.kill(`${label}/${voters[order[tolerated]!]!.name}`);
      const minority = order.slice(tolerated + 1).map((index) => clientUrls[index]!);
      // With a minority left no write can commit: every attempt runs into the command timeout.
      for (let attempt = 0; attempt < 2; attempt++) {
        const result = await put(minority, 'after-quorum-loss', 'x');
        expect(result.code).not.toBe(0);
      }
      for (const member of voters) await processes.kill(`${label}/${member.name}`);
    });
  },
);

/** The ID `etcdctl member list` (simple format: id, status, name, peer URLs, …) shows for a peer URL. */
function idOfPeer(list: string, peerUrl: string): string | undefined {
  const line = list.split('\n').find((l) => l.split(', ')[3] === peerUrl);
  return line?.split(', ')[0];
}

describe('the learner procedure on a real etcd', () => {
  it('adds, starts and promotes a learner with the generated commands', async () => {
    const options: FixtureOptions = {
      topology: 'external',
      members: 4,
      learners: [3],
      version: '3.4',
      addresses: ['10.0.2.1', '10.0.2.2', '10.0.2.3', '10.0.2.4'],
    };
    const { answer, map, dir, clientUrls } = await startVoters('learner', options, 23200);
    await expectWritable(clientUrls, 'before-learner', 20_000);
    const [procedure] = answer.etcd!.learnerProcedures;
    const step = (action: string) => procedure!.steps.find((s) => s.action === action)!.command;

    const add = step('add');
    // etcd refuses membership changes ("etcdserver: unhealthy cluster") until the member handling them has
    // been connected to every voter for 5 s (HealthInterval, with --strict-reconfig-check on by default).
    // On a busy machine the answer can time out after the add committed; the retry then meets "Peer URLs already
    // exists". Only after such a timeout is that the add's own success (the member list then gives its ID).
    let timedOut = false;
    const added = await eventually(
      async () => {
        const result = await run('etcdctl', [
          ...add.args,
          ...argv(mapFlags(add.flags, map, undefined, undefined)),
          ...etcdctlTimeouts,
        ]);
        if (result.code === 0) return result;
        if (/deadline exceeded|timed out/i.test(result.stderr)) timedOut = true;
        else if (timedOut && /Peer URLs already exists/i.test(result.stderr)) return result;
        else expect(result.stderr).toContain('unhealthy cluster');
        return undefined;
      },
      15_000,
      'member add to be accepted',
    );
    const learnerFlags = mapFlags(step('start').flags, map, 'etcd-4', join(dir, 'etcd-4'));
    const learnerPeerUrl = learnerFlags.find((f) => f.name === '--initial-advertise-peer-urls')!.value;
    const list = await run('etcdctl', [`--endpoints=${clientUrls.join(',')}`, ...etcdctlTimeouts, 'member', 'list']);
    const id = /Member ([0-9a-f]+) added/.exec(added.stdout)?.[1] ?? idOfPeer(list.stdout, learnerPeerUrl);
    expect(id).toBeDefined();
    if (added.code === 0) {
      // etcd prints the --initial-cluster it expects the new member to start with; ours must list the same members.
      const printed = /ETCD_INITIAL_CLUSTER="([^"]*)"/.exec(added.stdout)![1]!.split(',').sort();
      const ours = learnerFlags
        .find((f) => f.name === '--initial-cluster')!
        .value.split(',')
        .sort();
      expect(ours).toEqual(printed);
    }
    expect(learnerFlags).toContainEqual({ name: '--initial-cluster-state', value: 'existing' });

    processes.start('learner/etcd-4', 'etcd', argv(learnerFlags));
    const listed = await eventually(
      async () => {
        const list = await run('etcdctl', [
          `--endpoints=${clientUrls.join(',')}`,
          ...etcdctlTimeouts,
          'member',
          'list',
        ]);
        const line = list.stdout.split('\n').find((l) => l.includes('etcd-4'));
        return line?.includes('started') ? line : undefined;
      },
      15_000,
      'the learner to start',
    );
    expect(listed).toContain('true'); // the IS LEARNER column

    const promote = step('promote');
    const promoteArgs = promote.args.map((arg) => (arg.startsWith('<member-id-of-') ? id! : arg));
    await eventually(
      async () => {
        const promoted = await run('etcdctl', [
          ...promoteArgs,
          ...argv(mapFlags(promote.flags, map, undefined, undefined)),
          ...etcdctlTimeouts,
        ]);
        return promoted.code === 0 ? promoted : undefined;
      },
      15_000,
      'the learner to be promotable',
    );
    const after = await run('etcdctl', [`--endpoints=${clientUrls.join(',')}`, ...etcdctlTimeouts, 'member', 'list']);
    const line = after.stdout.split('\n').find((l) => l.includes('etcd-4'))!;
    expect(line.trim().endsWith('false')).toBe(true);
    await expectWritable([...clientUrls, map.clientUrlOf.get('etcd-4')!], 'after-promotion', 10_000);
  });
});

describe('etcd refuses the timings our findings say it refuses, with the same text', () => {
  it.each([
    { heartbeatIntervalMs: 100, electionTimeoutMs: 499 },
    { heartbeatIntervalMs: 0, electionTimeoutMs: 1000 },
    { heartbeatIntervalMs: 100, electionTimeoutMs: 0 },
    { heartbeatIntervalMs: 100, electionTimeoutMs: 50_001 },
  ])('heartbeat $heartbeatIntervalMs ms, election $electionTimeoutMs ms', async (timing) => {
    const label = `refused-${timing.heartbeatIntervalMs}-${timing.electionTimeoutMs}`;
    // The binary is etcd 3.4 (scripts/system-deps.sh), so the answer is asked for 3.4 and quotes 3.4's log line.
    const proposal = makeProposal({ nodes: 1, addresses: ['10.0.3.1'], version: '3.4', ...timing });
    const answer = generateConfig(proposal);
    expect(answer.startable).toBe(false);
    const quoted = answer.findings
      .map((f) => /"error verifying flags, (.*)\. See 'etcd --help'\."/.exec(f.message)?.[1])
      .filter((text): text is string => text !== undefined);
    expect(quoted.length).toBeGreaterThan(0);

    const map = portMap(memberEndpoints(proposal), 23300);
    const flags = mapFlags(answer.etcd!.members[0]!.etcd.flags, map, 'cp-1', join(processes.tempDir(label), 'cp-1'));
    processes.start(label, 'etcd', argv(flags));
    const code = await processes.exitOf(label, 10_000);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    const log = processes.logs.get(label)!.join('');
    // etcd reports the first rule its Validate checks; our first quoted text is that one.
    expect(log).toContain(`error verifying flags, ${quoted[0]}`);
  });

  it('starts with election = 5 × heartbeat exactly (100 ms / 500 ms)', async () => {
    const proposal = makeProposal({
      nodes: 1,
      addresses: ['10.0.3.2'],
      heartbeatIntervalMs: 100,
      electionTimeoutMs: 500,
    });
    const answer = generateConfig(proposal);
    expect(answer.startable).toBe(true);
    const map = portMap(memberEndpoints(proposal), 23310);
    const flags = mapFlags(
      answer.etcd!.members[0]!.etcd.flags,
      map,
      'cp-1',
      join(processes.tempDir('boundary'), 'cp-1'),
    );
    processes.start('boundary', 'etcd', argv(flags));
    await expectWritable([map.clientUrlOf.get('cp-1')!], 'boundary', 15_000);
    await processes.kill('boundary');
  });
});
