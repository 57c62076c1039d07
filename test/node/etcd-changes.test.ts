/**
 * The change plans of POST /v1/changes, run against real etcd 3.4 processes on 127.0.0.1 (as the config
 * test does, see etcd-harness.ts): the generated commands are executed in order, mapped to loopback only
 * (https URLs → plain-http loopback ports, TLS flags dropped, temporary data directories). etcdctl commands
 * run as generated; `etcd` commands start a member; `systemctl stop etcd` on a host kills that member by PID;
 * commands marked "only if <member> leads" run only when `etcdctl endpoint status` says so; member-ID
 * placeholders are read from `etcdctl member list`. A key is written and read back after every step, and the
 * final membership must equal the target.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { changesForBody } from '../../src/http/routes/changes.js';
import type { ChangePlan, ChangeStep } from '../../src/domain/changes/index.js';
import type { MemberEndpoints } from '../../src/domain/config/etcd-members.js';
import { etcdMembersConfig, memberEndpoints } from '../../src/domain/config/etcd-members.js';
import { kubeadmDefaultPaths, resolvePaths } from '../../src/domain/config/paths.js';
import { normalizeProposal } from '../../src/domain/normalize-proposal.js';
import type { ProposalInput } from '../../src/domain/proposal-input.js';
import { Processes, argv, eventually, mapFlags, portMap, run, type PortMap } from './etcd-harness.js';

const processes = new Processes();
afterAll(async () => {
  await processes.cleanup();
});

const timeouts = ['--dial-timeout=1s', '--command-timeout=3s'];

function external(names: string[], address: (i: number) => string): ProposalInput {
  return {
    topology: 'external',
    controlPlane: { nodes: 3, zones: ['zone-a', 'zone-b', 'zone-c'] },
    etcd: { version: '3.4', members: names.map((name, i) => ({ name, address: address(i) })) },
  };
}

function endpointsOf(input: ProposalInput): MemberEndpoints[] {
  const result = normalizeProposal(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return memberEndpoints(result.proposal);
}

class Cluster {
  readonly ids = new Map<string, string>();
  constructor(
    readonly label: string,
    readonly map: PortMap,
    readonly dir: string,
    /** Loopback peer URL of every member of current and target, by name. */
    readonly peerUrls: Map<string, string>,
  ) {}

  async etcdctl(args: string[]) {
    return run('etcdctl', [...timeouts, ...args]);
  }

  /** Member IDs by name, in hex as etcdctl prints and expects them. */
  async refreshIds(endpoints: string[]): Promise<void> {
    const list = await this.etcdctl([`--endpoints=${endpoints.join(',')}`, 'member', 'list', '--write-out=simple']);
    // A member added but not started yet has no name in the list: recognise it by its peer URL.
    const nameByPeerUrl = new Map([...this.peerUrls].map(([name, url]) => [url, name]));
    for (const line of list.stdout.trim().split('\n')) {
      const [id, , name, peerUrl] = line.split(', ');
      const known = name || nameByPeerUrl.get(peerUrl ?? '');
      if (id && known) this.ids.set(known, id);
    }
  }

  async leads(member: string, endpoints: string[]): Promise<boolean> {
    await this.refreshIds(endpoints);
    const status = await this.etcdctl([`--endpoints=${endpoints.join(',')}`, 'endpoint', 'status', '--write-out=json']);
    const exact = status.stdout.replace(/"(leader|member_id)":(\d+)/g, '"$1":"$2"');
    const entries = JSON.parse(exact) as { Status: { leader: string; header: { member_id: string } } }[];
    const leaderId = entries[0]?.Status.leader;
    const id = this.ids.get(member);
    return leaderId !== undefined && id !== undefined && BigInt(leaderId).toString(16) === id;
  }

  start(member: string, flags: { name: string; value: string }[]) {
    const mapped = mapFlags(flags, this.map, member, join(this.dir, member));
    processes.start(`${this.label}/${member}`, 'etcd', argv(mapped));
  }

  stop(member: string) {
    return processes.kill(`${this.label}/${member}`);
  }

  /** The generated etcdctl arguments with URLs mapped, TLS dropped and ID placeholders filled in. */
  etcdctlArgs(command: ChangeStep['commands'][number]['command'], member: string | undefined): string[] {
    const flags = mapFlags(command.flags, this.map, member, undefined);
    const args = command.args.map((word) => {
      const match = /^<member-id-of-(.+)>$/.exec(word);
      if (!match) return word;
      const id = this.ids.get(match[1]!);
      if (!id)
        throw new Error(`no member ID for ${match[1]} in ${command.text} (known: ${[...this.ids.keys()].join(', ')})`);
      return id;
    });
    return [...argv(flags), ...args];
  }
}

/**
 * One attempt of a generated etcdctl command, for retrying. A membership change whose answer timed out on a
 * busy machine may still have committed; its retry then fails with "Peer URLs already exists" (add) or
 * "member not found" (remove). Only after such a timeout do those count as done, and an add's member ID is
 * then read from the member list (by its peer URL), so a lost answer is never mistaken for a refusal.
 */
const timedOutBefore = new Set<string>();
async function idempotentEtcdctl(cluster: Cluster, args: string[], words: string[]) {
  const key = args.join(' ');
  const r = await cluster.etcdctl(args);
  if (r.code === 0) return r;
  if (/deadline exceeded|timed out/i.test(r.stderr)) timedOutBefore.add(key);
  if (!timedOutBefore.has(key) || words[0] !== 'member') return undefined;
  if (words[1] === 'add' && /Peer URLs already exists/i.test(r.stderr)) return { ...r, code: 0, stdout: '' };
  if (words[1] === 'remove' && /member not found/i.test(r.stderr)) return { ...r, code: 0, stdout: '' };
  return undefined;
}

/** Commands the run executed, as "step N: etcdctl move-leader …", so a test can check a conditional one ran. */
const executed: string[] = [];

async function runStep(cluster: Cluster, step: ChangeStep, clientUrls: () => string[]): Promise<void> {
  for (const { command, onlyIf, runOn } of step.commands) {
    await cluster.refreshIds(clientUrls());
    if (onlyIf && !(await cluster.leads(onlyIf.member, clientUrls()))) continue;
    executed.push(`${cluster.label} step ${step.index}: ${command.command} ${command.args.join(' ')}`);
    if (command.command === 'etcdctl') {
      const args = cluster.etcdctlArgs(command, undefined);
      // Promotion waits for the learner to catch up (the 90% rule); membership changes right after a start may
      // meet "unhealthy cluster" for up to 5 s: retry both, as the step's text says.
      const result = await eventually(
        () => idempotentEtcdctl(cluster, args, command.args),
        30_000,
        `${command.args.join(' ')} in step ${step.index}`,
      );
      expect(result.code).toBe(0);
      // etcd prints the new member's ID at member add; member list shows no name until the member starts.
      const added = /Member ([0-9a-f]+) added/.exec(result.stdout);
      if (command.args[0] === 'member' && command.args[1] === 'add' && added)
        cluster.ids.set(command.args[2]!, added[1]!);
      if (command.args[0] === 'member' && command.args[1] === 'remove') cluster.ids.delete(step.member!);
    } else if (command.command === 'etcd') {
      cluster.start(runOn, command.flags);
    } else if (command.command === 'systemctl' && command.args.join(' ') === 'stop etcd') {
      await cluster.stop(runOn);
    } else if (command.command === 'mv' && command.args[0] === kubeadmDefaultPaths.etcdDataDir) {
      // The member's data directory moves aside, so a member rebuilt under the same name starts empty.
      const dir = join(cluster.dir, runOn);
      if (existsSync(dir)) renameSync(dir, `${dir}.removed-${step.index}`);
    } else {
      throw new Error(`step ${step.index}: no loopback equivalent for ${command.text}`);
    }
  }
}

async function expectWritable(urls: string[], key: string) {
  await eventually(
    async () =>
      (await run('etcdctl', [`--endpoints=${urls.join(',')}`, ...timeouts, 'put', key, `v-${key}`])).code === 0
        ? true
        : undefined,
    30_000,
    `a write of ${key}`,
  );
  const read = await run('etcdctl', [`--endpoints=${urls.join(',')}`, ...timeouts, 'get', key, '--print-value-only']);
  expect(read.stdout.trim()).toBe(`v-${key}`);
}

/** Starts the current cluster from /v1/config-style flags, then runs every step of the plan. */
async function execute(
  label: string,
  body: { current: ProposalInput; target: ProposalInput; options?: object },
  basePort: number,
  /** Hand leadership to this member before the first step, so the plan's conditional transfer must run. */
  leaderFirst?: string,
) {
  const result = changesForBody(body);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const plan: ChangePlan = result.plan;
  const all = [...endpointsOf(body.current), ...endpointsOf(body.target)];
  const unique = [...new Map(all.map((e) => [e.member.name, e])).values()];
  const map = portMap(unique, basePort);
  const peerUrls = new Map(unique.map((e) => [e.member.name, map.urls.get(e.peerUrl)!]));
  const cluster = new Cluster(label, map, processes.tempDir(label), peerUrls);
  const current = normalizeProposal(body.current);
  if (!current.ok) throw new Error('current must normalize');
  for (const member of etcdMembersConfig(current.proposal, resolvePaths()).members)
    cluster.start(member.name, member.etcd.flags);

  // Client URLs of the voters after the previous step: what the next commands talk to.
  let voters = plan.from.etcdVoters;
  const clientUrls = () => voters.map((name) => map.clientUrlOf.get(name)!);
  await expectWritable(clientUrls(), `${label}-start`);
  if (leaderFirst) {
    await cluster.refreshIds(clientUrls());
    await eventually(
      async () => {
        if (await cluster.leads(leaderFirst, clientUrls())) return true;
        const id = cluster.ids.get(leaderFirst)!;
        await cluster.etcdctl([`--endpoints=${clientUrls().join(',')}`, 'move-leader', id]);
        return undefined;
      },
      30_000,
      `${leaderFirst} to lead`,
    );
  }
  for (const step of plan.steps) {
    await runStep(cluster, step, clientUrls);
    voters = step.membershipAfter.etcdVoters;
    await expectWritable(clientUrls(), `${label}-after-step-${step.index}`);
  }
  await cluster.refreshIds(clientUrls());
  const list = await run('etcdctl', [
    `--endpoints=${clientUrls().join(',')}`,
    ...timeouts,
    'member',
    'list',
    '--write-out=simple',
  ]);
  const members = list.stdout
    .trim()
    .split('\n')
    .map((line) => line.split(', '))
    .map(([, status, name, , , learner]) => ({ name, status, learner }));
  expect(members.map((m) => m.name).sort()).toEqual([...plan.to.etcdVoters].sort());
  expect(members.every((m) => m.status === 'started' && m.learner === 'false')).toBe(true);
  return plan;
}

const three = external(['etcd-1', 'etcd-2', 'etcd-3'], (i) => `10.0.0.${i + 1}`);
const five = external(['etcd-1', 'etcd-2', 'etcd-3', 'etcd-4', 'etcd-5'], (i) => `10.0.0.${i + 1}`);

describe('change plans run against real etcd 3.4 processes', () => {
  it('3 → 5: learners added and promoted one at a time', async () => {
    const plan = await execute('grow', { current: three, target: five }, 23500);
    expect(plan.steps.filter((s) => s.action === 'promote')).toHaveLength(2);
  });

  it('5 → 3: leadership moved off, members removed one at a time', async () => {
    const plan = await execute('shrink', { current: five, target: three }, 23550, 'etcd-4');
    expect(plan.steps.filter((s) => s.action === 'remove-member')).toHaveLength(2);
    // etcd-4 led when the plan started: its move-leader step ran before etcd-4 was removed, and the cluster
    // kept taking writes after every step (checked in execute).
    const moveStep = plan.steps.find((s) => s.action === 'move-leader' && s.member === 'etcd-4')!;
    expect(executed).toContain(`shrink step ${moveStep.index}: etcdctl move-leader <member-id-of-etcd-1>`);
  });

  it('replacing a member by a new host under a new name', async () => {
    const target = external(['etcd-1', 'etcd-2', 'etcd-4'], (i) => `10.0.0.${i === 2 ? 4 : i + 1}`);
    const plan = await execute('replace', { current: three, target }, 23600);
    expect(plan.kinds).toContain('replace');
  });

  it('replacing a member in place (same name and address, fresh data)', async () => {
    const plan = await execute(
      'rebuild',
      { current: three, target: three, options: { replaceMembers: ['etcd-2'] } },
      23650,
    );
    expect(plan.steps.map((s) => s.action)).toEqual(
      expect.arrayContaining(['remove-member', 'add-learner', 'promote']),
    );
  });
});

/**
 * The restore plan (quorum lost, downtime accepted), every command run for real on loopback: the surviving
 * member's database copied as the snapshot, every member stopped and its data directory moved aside,
 * `etcdctl snapshot restore` with the generated flags (3.4: etcdctl; a copied database needs
 * --skip-hash-check), and the members started with their generated flags. The apiserver manifest moves have no
 * loopback equivalent (there is no kubelet here) and are only recorded.
 */
async function executeRestore(label: string, basePort: number) {
  const failed = ['etcd-2', 'etcd-3'];
  const body = { current: three, target: three, options: { failedMembers: failed, downtimeAcceptable: true } };
  const result = changesForBody(body);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const plan = result.plan;
  const endpoints = endpointsOf(three);
  const map = portMap(endpoints, basePort);
  const peerUrls = new Map(endpoints.map((e) => [e.member.name, map.urls.get(e.peerUrl)!]));
  const cluster = new Cluster(label, map, processes.tempDir(label), peerUrls);
  const current = normalizeProposal(three);
  if (!current.ok) throw new Error('current must normalize');
  for (const member of etcdMembersConfig(current.proposal, resolvePaths()).members)
    cluster.start(member.name, member.etcd.flags);
  const names = endpoints.map((e) => e.member.name);
  const urlsOf = (members: string[]) => members.map((name) => map.clientUrlOf.get(name)!);
  await expectWritable(urlsOf(names), `${label}-before`);
  // Let the backend commit the write to its database file (etcd batches commits every 100 ms).
  await new Promise((r) => setTimeout(r, 1000));
  for (const name of failed) await cluster.stop(name);
  const snapshot = join(cluster.dir, 'snapshot.db');
  const localFile = (word: string) => (word.startsWith('/var/backups/') ? snapshot : word);
  const ran: string[] = [];
  for (const step of plan.steps) {
    for (const { command, runOn } of step.commands) {
      ran.push(`${step.action}: ${command.command} ${command.args.join(' ')}`);
      if (command.command === 'cp' && command.args[0] === `${kubeadmDefaultPaths.etcdDataDir}/member/snap/db`) {
        copyFileSync(join(cluster.dir, 'etcd-1', 'member', 'snap', 'db'), snapshot);
      } else if (command.command === 'mv' && command.args.some((a) => a.includes('kube-apiserver.yaml'))) {
        // No kubelet on loopback: parking the apiserver's static pod has nothing to stop.
      } else if (command.command === 'systemctl' && runOn === 'every etcd host') {
        for (const name of names) await cluster.stop(name);
      } else if (command.command === 'mv' && runOn === 'every etcd host') {
        for (const name of names) renameSync(join(cluster.dir, name), join(cluster.dir, `${name}.removed`));
      } else if (command.command === 'etcdctl' && command.args[0] === 'snapshot') {
        const flags = mapFlags(command.flags, map, step.member, join(cluster.dir, step.member!));
        const restored = await run('etcdctl', [...argv(flags), ...command.args.map(localFile)]);
        expect(restored.code, restored.stderr).toBe(0);
      } else if (command.command === 'etcdctl') {
        const checked = await run('etcdctl', [...timeouts, ...cluster.etcdctlArgs(command, undefined)]);
        expect(checked.code, checked.stderr).toBe(0);
      } else if (command.command === 'etcd') {
        cluster.start(runOn, command.flags);
      } else {
        throw new Error(`${step.action}: no loopback equivalent for ${command.text}`);
      }
    }
  }
  return { plan, ran, urls: urlsOf(names) };
}

describe('a restore plan run against real etcd 3.4 processes', () => {
  it('brings back a cluster that lost quorum, with the data written before the loss', async () => {
    const { plan, ran, urls } = await executeRestore('restore', 23700);
    expect(plan.kinds).toContain('restore');
    // The apiservers stop before etcd and start after it (Kubernetes' restore procedure).
    const parks = ran.filter((line) => line.includes('kube-apiserver.yaml'));
    expect(parks).toHaveLength(2);
    expect(ran.indexOf(parks[0]!)).toBeLessThan(ran.findIndex((line) => line.startsWith('stop-cluster: systemctl')));
    expect(ran.at(-1)).toBe(parks[1]);
    // The restored cluster has quorum again and still holds the key written before the loss.
    await expectWritable(urls, 'restore-after');
    const before = await run('etcdctl', [`--endpoints=${urls.join(',')}`, ...timeouts, 'get', 'restore-before']);
    expect(before.stdout).toContain('v-restore-before');
    const list = await run('etcdctl', [`--endpoints=${urls.join(',')}`, ...timeouts, 'member', 'list']);
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(', ')[2])
        .sort(),
    ).toEqual(['etcd-1', 'etcd-2', 'etcd-3']);
  });
});
