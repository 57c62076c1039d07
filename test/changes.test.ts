/**
 * POST /v1/changes through the real app. Expected orders, counts and tolerances are worked out by hand from
 * etcd's rules (one membership change at a time, learners first, quorum = floor(n/2)+1, leadership moved off
 * a member before it leaves) and the etcd FAQ table, not read back from the planner.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import type { RequestWork } from '../src/http/request-work.js';
import { changeExamples } from '../src/http/routes/changes.js';
import { postJson, problemOf } from './helpers.js';

type Plan = {
  kinds: string[];
  steps: {
    index: number;
    action: string;
    member?: string;
    commands: {
      runOn: string;
      command: { command: string; args: string[]; flags: { name: string; value: string }[]; text: string };
      onlyIf?: unknown;
    }[];
    manifestEdits: {
      host: string;
      file: string;
      changes: { flag: string; from: string | null; to: string | null }[];
    }[];
    checks: { description: string; expect: string }[];
    membership: {
      voterCount: number;
      tolerableFailures: number;
      etcdLearners: string[];
      writable: boolean;
      down: string[];
    };
    membershipAfter: { etcdVoters: string[]; etcdLearners: string[]; voterCount: number; tolerableFailures: number };
    risk: { leaderElection: string; simulated: { p50Ms: number | null; trials: number } | null };
    source: { url: string }[];
  }[];
  lowestTolerableFailures: number;
  peakVoters: number;
  plannedDowntime: boolean;
  versionPath: string[];
  expectedWriteUnavailability: { stepsWithElections: number; trialsPerCase: number; plannedOutageS: number };
  findings: { code: string; severity: string; pointers: string[] }[];
  summary: string;
};

async function plan(body: unknown): Promise<Plan> {
  const response = await postJson('/v1/changes', body);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Plan;
}

const actions = (p: Plan) => p.steps.map((s) => (s.member ? `${s.action} ${s.member}` : s.action));

describe('POST /v1/changes', () => {
  it('grows 3 → 5 one learner at a time, promoting each before the next joins', async () => {
    const p = await plan(changeExamples.grow3to5.value);
    expect(actions(p)).toEqual([
      'snapshot-save',
      'add-learner etcd-4',
      'promote etcd-4',
      'add-learner etcd-5',
      'promote etcd-5',
      'update-apiserver',
    ]);
    // Voters after each step: 3, 3, 4, 4, 5, 5 → tolerance (etcd FAQ) 1, 1, 1, 1, 2, 2.
    expect(p.steps.map((s) => s.membershipAfter.voterCount)).toEqual([3, 3, 4, 4, 5, 5]);
    expect(p.steps.map((s) => s.membershipAfter.tolerableFailures)).toEqual([1, 1, 1, 1, 2, 2]);
    expect(p.lowestTolerableFailures).toBe(1);
    expect(p.kinds).toEqual(['grow']);
    // The learner add carries etcd's flags: --learner, the new member's peer URL, and kubeadm's client TLS pair.
    const add = p.steps[1]!.commands[0]!.command;
    expect(add.args).toEqual(['member', 'add', 'etcd-4']);
    expect(add.flags).toContainEqual({ name: '--peer-urls', value: 'https://10.0.1.22:2380' });
    expect(add.flags).toContainEqual({ name: '--learner', value: 'true' });
    expect(add.flags).toContainEqual({ name: '--cacert', value: '/etc/kubernetes/pki/etcd/ca.crt' });
    const start = p.steps[1]!.commands[1]!.command;
    expect(start.flags).toContainEqual({ name: '--initial-cluster-state', value: 'existing' });
    expect(start.flags.find((f) => f.name === '--initial-cluster')?.value).toBe(
      'etcd-1=https://10.0.1.21:2380,etcd-2=https://10.0.2.21:2380,etcd-3=https://10.0.3.21:2380,etcd-4=https://10.0.1.22:2380',
    );
    // The 90% rule gates the promotion.
    expect(p.steps[1]!.checks[0]!.description).toContain('90%');
    // The apiservers then list all five voters.
    const edit = p.steps[5]!.manifestEdits[0]!;
    expect(edit.changes[0]!.to!.split(',')).toHaveLength(5);
    expect(p.findings.map((f) => f.code)).toContain('ONE_MEMBERSHIP_CHANGE_AT_A_TIME');
  });

  it('shrinks 5 → 3 with leadership moved off each member before it is removed', async () => {
    const p = await plan(changeExamples.shrink5to3.value);
    expect(actions(p)).toEqual([
      'snapshot-save',
      'update-apiserver',
      'move-leader etcd-4',
      'remove-member etcd-4',
      'move-leader etcd-5',
      'remove-member etcd-5',
    ]);
    expect(p.steps.map((s) => s.membershipAfter.voterCount)).toEqual([5, 5, 5, 4, 4, 3]);
    // 5 → 4 → 3 voters: tolerance 2 → 1 → 1.
    expect(p.lowestTolerableFailures).toBe(1);
    const move = p.steps[2]!;
    expect(move.commands[0]!.onlyIf).toEqual({ kind: 'member-leads', member: 'etcd-4' });
    expect(move.commands[0]!.command.args[0]).toBe('move-leader');
    expect(move.risk.leaderElection).toBe('transfer');
    expect(move.risk.simulated?.trials).toBe(20);
    expect(p.steps[3]!.risk.leaderElection).toBe('if-leader');
    // Removing a leader without a transfer waits out an election timeout (1000 ms by default) at least.
    expect(p.steps[3]!.risk.simulated!.p50Ms!).toBeGreaterThan(1000);
    expect(move.risk.simulated!.p50Ms!).toBeLessThan(p.steps[3]!.risk.simulated!.p50Ms!);
  });

  it('1 → 3 stacked nodes joins with kubeadm and warns that 2 voters tolerate nothing', async () => {
    const p = await plan(changeExamples.grow1to3.value);
    expect(actions(p)).toEqual(['snapshot-save', 'kubeadm-join cp-2', 'kubeadm-join cp-3']);
    expect(p.steps.map((s) => s.membershipAfter.tolerableFailures)).toEqual([0, 0, 1]);
    expect(p.findings.map((f) => f.code)).toContain('TWO_VOTERS_TOLERATE_NOTHING');
    const join = p.steps[1]!.commands[2]!.command;
    expect(join.text).toContain('kubeadm join k8s-api.cluster.internal:6443');
    expect(join.flags).toContainEqual({ name: '--control-plane', value: 'true' });
  });

  it('replaces a failed member at the same address: removes it first, then adds it back as a learner', async () => {
    const p = await plan(changeExamples.replaceFailedSameAddress.value);
    expect(actions(p)).toEqual(['snapshot-save', 'remove-member etcd-2', 'add-learner etcd-2', 'promote etcd-2']);
    // 3 voters with 1 down tolerate 0; 2 voters tolerate 0; back to 3: 1.
    expect(p.steps.map((s) => s.membership.tolerableFailures)).toEqual([0, 0, 0, 0]);
    expect(p.steps.at(-1)!.membershipAfter.tolerableFailures).toBe(1);
    expect(p.steps[1]!.risk.leaderElection).toBe('none');
    expect(p.findings.map((f) => f.code)).toContain('FAILED_MEMBERS_FIRST');
  });

  it('replaces a member by a new one under a new name: the new one joins before the old one leaves', async () => {
    const p = await plan(changeExamples.replaceNewAddress.value);
    expect(actions(p)).toEqual([
      'snapshot-save',
      'add-learner etcd-3b',
      'promote etcd-3b',
      'update-apiserver',
      'move-leader etcd-3',
      'remove-member etcd-3',
    ]);
    expect(p.peakVoters).toBe(4);
    expect(p.lowestTolerableFailures).toBe(1);
  });

  it('moves stacked etcd to external hosts: externals join, apiservers switch, stacked members leave', async () => {
    const p = await plan(changeExamples.stackedToExternal.value);
    expect(p.kinds).toContain('stacked-to-external');
    const order = actions(p);
    expect(order.indexOf('update-apiserver')).toBeGreaterThan(order.lastIndexOf('promote etcd-3'));
    expect(order.indexOf('update-apiserver')).toBeLessThan(order.indexOf('remove-member cp-1'));
    const edits = p.steps.find((s) => s.action === 'update-apiserver')!.manifestEdits;
    expect(edits.map((e) => e.host)).toEqual(['cp-1', 'cp-2', 'cp-3']);
    expect(edits[0]!.changes[0]).toEqual({
      flag: '--etcd-servers',
      from: 'https://127.0.0.1:2379',
      to: 'https://10.0.1.21:2379,https://10.0.2.21:2379,https://10.0.3.21:2379',
    });
    // 3 → 6 voters at the peak, then back to 3.
    expect(p.peakVoters).toBe(6);
    expect(p.steps.at(-1)!.membershipAfter.etcdVoters).toEqual(['etcd-1', 'etcd-2', 'etcd-3']);
  });

  it('upgrades 3.4 → 3.5 → 3.6 one minor and one member at a time, with the pre-vote flag change', async () => {
    const p = await plan(changeExamples.upgrade34to36.value);
    expect(p.versionPath).toEqual(['3.4', '3.5', '3.6']);
    const upgrades = p.steps.filter((s) => s.action === 'upgrade-member');
    expect(upgrades).toHaveLength(6);
    // A member is down during its restart: 3 voters, 1 down → no further failure tolerated.
    for (const s of upgrades) expect([s.membership.down.length, s.membership.tolerableFailures]).toEqual([1, 0]);
    expect(upgrades[0]!.manifestEdits[0]!.changes).toContainEqual({ flag: '--pre-vote', from: 'false', to: 'true' });
    expect(upgrades[3]!.manifestEdits[0]!.changes).toContainEqual({ flag: '--max-learners', from: null, to: '1' });
    // Each voter's restart follows a move-leader step for it.
    for (const s of upgrades) expect(p.steps[s.index - 2]!.action).toBe('move-leader');
    const codes = p.findings.map((f) => f.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'CLUSTER_VERSION_RULE',
        'PRE_VOTE_DEFAULT_CHANGES_AT_3_5',
        'UPGRADE_TO_3_6_NEEDS_LATEST_3_5',
      ]),
    );
  });

  it('downgrades 3.6 → 3.5 with etcdctl downgrade enable first, then one member at a time', async () => {
    const p = await plan(changeExamples.downgrade36to35.value);
    expect(p.kinds).toEqual(['downgrade']);
    const enable = p.steps.find((s) => s.action === 'enable-downgrade')!;
    expect(enable.commands.map((c) => c.command.args.join(' '))).toEqual([
      'downgrade validate 3.5',
      'downgrade enable 3.5',
    ]);
    const downgrades = p.steps.filter((s) => s.action === 'upgrade-member');
    expect(downgrades).toHaveLength(3);
    expect(enable.index).toBeLessThan(downgrades[0]!.index);
    // 3.5 has no --max-learners: the flag goes.
    expect(downgrades[0]!.manifestEdits[0]!.changes).toContainEqual({ flag: '--max-learners', from: '1', to: null });
  });

  it('refuses a version path that skips a minor, and a downgrade of two minors, with 422 naming the field', async () => {
    const skip = await postJson('/v1/changes', {
      ...changeExamples.upgrade34to36.value,
      options: { etcdVersionPath: ['3.4', '3.6'] },
    });
    expect(skip.status).toBe(422);
    const skipProblem = await problemOf(skip);
    expect(skip.headers.get('content-type')).toContain('application/problem+json');
    expect(skipProblem.errors![0]!.pointer).toBe('/options/etcdVersionPath');
    expect(skipProblem.detail).toContain('ETCD_VERSION_PATH_INVALID');

    const down = await postJson('/v1/changes', {
      current: changeExamples.upgrade34to36.value.target,
      target: changeExamples.upgrade34to36.value.current,
    });
    expect(down.status).toBe(422);
    expect((await problemOf(down)).errors![0]!.pointer).toBe('/target/etcd/version');
  });

  it('refuses a change without quorum unless downtime is acceptable, then plans a restore from one snapshot', async () => {
    const { current, target } = changeExamples.restoreFromSnapshot.value;
    const refused = await postJson('/v1/changes', {
      current,
      target,
      options: { failedMembers: ['etcd-2', 'etcd-3'] },
    });
    expect(refused.status).toBe(422);
    expect((await problemOf(refused)).detail).toContain('NO_QUORUM_ON_THE_WAY');

    const p = await plan(changeExamples.restoreFromSnapshot.value);
    expect(p.kinds).toContain('restore');
    expect(p.plannedDowntime).toBe(true);
    const restores = p.steps.filter((s) => s.action === 'restore-member');
    expect(restores.map((s) => s.member)).toEqual(['etcd-1', 'etcd-2', 'etcd-3']);
    const tokens = new Set(
      restores.map((s) => s.commands[0]!.command.flags.find((f) => f.name === '--initial-cluster-token')!.value),
    );
    const files = new Set(restores.map((s) => s.commands[0]!.command.args.at(-1)));
    expect(tokens.size).toBe(1);
    expect(files.size).toBe(1);
    // 3.5 restores with etcdutl; without quorum the database file needs --skip-hash-check.
    expect(restores[0]!.commands[0]!.command.command).toBe('etcdutl');
    expect(restores[0]!.commands[0]!.command.flags).toContainEqual({ name: '--skip-hash-check', value: 'true' });
    expect(p.steps.at(-1)!.membershipAfter.etcdVoters).toEqual(['etcd-1', 'etcd-2', 'etcd-3']);
    expect(p.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['RESTORE_LOSES_RECENT_WRITES', 'RESTORE_BECAUSE_QUORUM_LOST']),
    );
  });

  // Kubernetes' "Restoring an etcd cluster": stop all API server instances, restore every etcd member, restart
  // all API server instances — external etcd included (the apiservers still run as static pods).
  it('stops every kube-apiserver before etcd and starts them after the restored members, external etcd too', async () => {
    const p = await plan(changeExamples.restoreFromSnapshot.value);
    const stop = p.steps.find((s) => s.action === 'stop-cluster')!;
    expect(stop.commands[0]!.runOn).toBe('every control-plane node');
    expect(stop.commands[0]!.command.text).toBe(
      'mv /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/kube-apiserver.yaml.parked',
    );
    expect(stop.commands[1]!.command.text).toBe('systemctl stop etcd');
    const start = p.steps.find((s) => s.action === 'start-cluster')!;
    expect(start.commands.at(-1)!.command.text).toBe(
      'mv /etc/kubernetes/kube-apiserver.yaml.parked /etc/kubernetes/manifests/kube-apiserver.yaml',
    );
    // Same members, same addresses: the apiservers' --etcd-servers stay as they are.
    expect(start.manifestEdits).toEqual([]);
  });

  it('restoring a stacked cluster into external members points every parked apiserver at them', async () => {
    const { current, target } = changeExamples.stackedToExternal.value;
    const p = await plan({ current, target, options: { restoreFromSnapshot: true, downtimeAcceptable: true } });
    const start = p.steps.find((s) => s.action === 'start-cluster')!;
    // Stacked kubeadm apiservers talk to their local member; the external members listen on 2379 at their addresses.
    const external = target.etcd.members.map((m) => `https://${m.address}:2379`).join(',');
    expect(start.manifestEdits).toEqual(
      current.controlPlane.nodes.map((n) => ({
        host: n.name,
        file: '/etc/kubernetes/kube-apiserver.yaml.parked',
        changes: [{ flag: '--etcd-servers', from: 'https://127.0.0.1:2379', to: external }],
      })),
    );
    expect(start.commands.map((c) => c.command.command)).toContain('kubectl');
  });

  it('answers 400 for an unknown member name and for an invalid proposal, with pointers', async () => {
    const unknown = await postJson('/v1/changes', {
      ...changeExamples.grow3to5.value,
      options: { failedMembers: ['etcd-9'] },
    });
    expect(unknown.status).toBe(400);
    expect((await problemOf(unknown)).errors![0]!.pointer).toBe('/options/failedMembers/0');
    const invalid = await postJson('/v1/changes', {
      current: { topology: 'stacked', controlPlane: { nodes: 0 } },
      target: changeExamples.grow3to5.value.target,
    });
    expect(invalid.status).toBe(400);
    expect((await problemOf(invalid)).errors![0]!.pointer).toMatch(/^\/current\/controlPlane\/nodes/);
  });

  it('every example plans (or is refused with 422), with a summary of at most 400 characters and correct plurals', async () => {
    for (const [name, example] of Object.entries(changeExamples)) {
      const p = await plan(example.value);
      expect(p.summary.length, name).toBeLessThanOrEqual(400);
      expect(p.summary, name).not.toMatch(/\b1 (steps|voters|failures)\b|\b([02-9]|\d\d+) (step|voter|failure)\b/);
      expect(p.summary, name).toContain(`${p.steps.length} step`);
    }
  });

  it('is deterministic: the same body gives the same bytes', async () => {
    const a = await (await postJson('/v1/changes', changeExamples.shrink5to3.value)).text();
    const b = await (await postJson('/v1/changes', changeExamples.shrink5to3.value)).text();
    expect(a).toBe(b);
  });
});

describe('bounded work of the election estimates (issue 14 work sweep)', () => {
  const withEtcd = (etcd: Record<string, number>) => {
    const body = structuredClone(changeExamples.upgrade34to36.value) as {
      current: { etcd: object };
      target: { etcd: object };
    };
    body.current.etcd = { ...body.current.etcd, ...etcd };
    body.target.etcd = { ...body.target.etcd, ...etcd };
    return body;
  };

  it('a heartbeat of 0 (etcd refuses it at start) plans without election estimates instead of a 500', async () => {
    const res = await postJson('/v1/changes', withEtcd({ heartbeatIntervalMs: 0 }));
    expect(res.status).toBe(200);
    const plan = (await res.json()) as { steps: { risk: { simulated: unknown } }[] };
    expect(plan.steps.every((s) => s.risk.simulated === null)).toBe(true);
  });

  it("every simulated election is charged to the request's work budget (maxSimulationEvents)", async () => {
    // The budget stops a plan past maxSimulationEvents with a 400 at /current/etcd/heartbeatIntervalMs; with
    // lazy ticks no accepted timing gets near it, so this checks the charging itself.
    const work: RequestWork[] = [];
    const counting = createApp({ onWork: (w) => work.push(w) });
    const res = await counting.request('/v1/changes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(changeExamples.upgrade34to36.value),
    });
    expect(res.status).toBe(200);
    const [budget] = work[0]!.budgets;
    expect(budget?.limitName).toBe('maxSimulationEvents');
    // Three version hops, each moving leadership off every member: hundreds of simulated elections.
    expect(budget!.used).toBeGreaterThan(1000);
  });
});
