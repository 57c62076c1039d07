/**
 * @module changes/rolling
 * The live path from current to target, one membership change at a time, in the order that keeps the most
 * tolerance:
 *   1. a snapshot; 2. members that are down and must go are removed first (etcd's advice when replacing a
 *   failed member); 3. learners that should vote are promoted; 4. the etcd version moves one minor at a time;
 *   5. new voters join, each as a learner that is promoted once caught up; 6. members rebuilt in place (same
 *   name) are removed and added again, at the peak size; 7. the apiservers' --etcd-servers follow; 8. members
 *   that go are removed, leadership moved off each first; 9. new learners; 10. control-plane nodes that carry
 *   no etcd member join or leave.
 * Growing before shrinking means the voter count never drops below min(current, target) except for in-place
 * rebuilds, which the findings call out.
 */
import { apiServerConfig } from '../config/apiserver.js';
import { memberEndpoints } from '../config/etcd-members.js';
import type { Proposal } from '../proposal.js';
import type { MemberInfo, PlanBuilder } from './builder.js';
import { stepDurationS } from './builder.js';
import * as cmd from './commands.js';
import { addLearner, kubeadmJoin, kubeadmReset, promote, removeMember } from './member-steps.js';
import { changeSources } from './sources.js';
import { type VersionHop, versionHop } from './upgrade.js';
import type { ManifestEdit } from './types.js';

export interface MemberDiff {
  remove: string[];
  rebuild: string[];
  add: string[];
  addLearners: string[];
  promote: string[];
}

export interface RollingInput {
  current: Proposal;
  target: Proposal;
  currentInfo: Map<string, MemberInfo>;
  targetInfo: Map<string, MemberInfo>;
  diff: MemberDiff;
  failed: ReadonlySet<string>;
  hops: VersionHop[];
}

function snapshotStep(b: PlanBuilder, why: string): void {
  const endpoint = b.endpoints()[0];
  if (endpoint === undefined) return;
  b.push({
    action: 'snapshot-save',
    title: 'Save a snapshot of the keyspace',
    commands: [{ runOn: 'any', purpose: `Back up first: ${why}`, command: cmd.snapshotSave(b.paths, endpoint) }],
    manifestEdits: [],
    checks: [
      {
        description: 'The snapshot is complete and readable.',
        command: cmd.snapshotStatus(b.elections.base.etcd.version),
        expect: 'A hash, a revision and the total key count are printed.',
      },
      b.healthCheck(),
    ],
    membershipChange: null,
    risk: {
      expectedDurationS: stepDurationS.snapshot,
      leaderElection: 'none',
      note: 'Reads only; the member serving it works harder meanwhile.',
    },
    rollback: { description: 'Nothing to undo.', commands: [] },
    source: [changeSources.maintenance, changeSources.recovery],
  });
}

function addVoter(b: PlanBuilder, input: RollingInput, name: string): void {
  const info = input.targetInfo.get(name)!;
  const node = input.target.controlPlaneNodes.find((n) => n.name === info.host);
  const nodeIsNew = !input.current.controlPlaneNodes.some((n) => n.name === info.host);
  if (info.stacked && input.current.topology === 'stacked' && (nodeIsNew || input.diff.rebuild.includes(name))) {
    kubeadmJoin(b, info, input.target.loadBalancer.endpoint, node?.address);
    return;
  }
  addLearner(b, info);
  promote(b, name);
}

function removeOne(b: PlanBuilder, input: RollingInput, name: string, keep: ReadonlySet<string>): void {
  const info = input.currentInfo.get(name)!;
  const stackedNodeLeaves =
    info.stacked &&
    input.target.topology === 'stacked' &&
    (!input.target.controlPlaneNodes.some((n) => n.name === info.host) || input.diff.rebuild.includes(name));
  if (stackedNodeLeaves) kubeadmReset(b, info, keep);
  else removeMember(b, info, keep);
}

/** --etcd-servers of every control-plane node kept by the target, before and after, when they differ. */
export function apiserverEdits(
  input: Pick<RollingInput, 'current' | 'target'>,
  pathsOf: Pick<PlanBuilder, 'paths'>,
): ManifestEdit[] {
  const servers = (proposal: Proposal) =>
    new Map(
      apiServerConfig(proposal, memberEndpoints(proposal), pathsOf.paths).nodes.map((n) => [
        n.node,
        n.kubeApiserver.flags.find((f) => f.name === '--etcd-servers')?.value ?? null,
      ]),
    );
  const before = servers(input.current);
  const after = servers(input.target);
  const edits: ManifestEdit[] = [];
  for (const [node, to] of after) {
    const from = before.get(node);
    if (from === undefined || from === to) continue;
    edits.push({ host: node, file: cmd.apiserverManifest, changes: [{ flag: '--etcd-servers', from, to }] });
  }
  return edits;
}

function updateApiservers(b: PlanBuilder, input: RollingInput): void {
  const edits = apiserverEdits(input, b);
  if (edits.length === 0) return;
  const topologyChanges = input.current.topology !== input.target.topology;
  b.push({
    action: 'update-apiserver',
    title: 'Point every kube-apiserver at the new etcd members',
    commands: topologyChanges
      ? [
          {
            runOn: 'any control-plane node',
            purpose: `Record the new etcd topology in kubeadm's ClusterConfiguration (etcd.${input.target.topology === 'external' ? 'external' : 'local'}; POST /v1/config with the target gives the whole document), so later joins and upgrades use it.`,
            command: cmd.editKubeadmConfig(),
          },
        ]
      : [],
    manifestEdits: edits,
    checks: [
      {
        description: 'Edit one node at a time; kubelet restarts the apiserver. Go on when it is ready again.',
        command: cmd.readyzEtcd(),
        expect: 'ok (the apiserver reaches an etcd quorum through its new --etcd-servers).',
      },
    ],
    membershipChange: null,
    risk: {
      expectedDurationS: stepDurationS.apiserver * edits.length,
      leaderElection: 'none',
      note: 'Each apiserver restarts once; with several nodes the load balancer routes around the one restarting.',
    },
    rollback: { description: 'Put the previous --etcd-servers value back in each manifest.', commands: [] },
    source: [changeSources.k8sEtcd],
  });
}

/** Control-plane nodes that carry no etcd member of the plan (external etcd): kubeadm join or reset only. */
function controlPlaneOnly(b: PlanBuilder, input: RollingInput, joins: string[], resets: string[]): void {
  for (const node of joins) {
    const address = input.target.controlPlaneNodes.find((n) => n.name === node)?.address;
    b.push({
      action: 'kubeadm-join',
      title: `Join ${node} as a control-plane node (external etcd: no member change)`,
      node,
      commands: [
        { runOn: 'any control-plane node', purpose: 'Print a join command.', command: cmd.kubeadmPrintJoin() },
        {
          runOn: 'any control-plane node',
          purpose: 'Upload the control-plane certificates.',
          command: cmd.kubeadmUploadCerts(),
        },
        {
          runOn: node,
          purpose: 'Join as a control-plane node.',
          command: cmd.kubeadmJoin(input.target.loadBalancer.endpoint, address),
        },
      ],
      manifestEdits: [],
      checks: [
        {
          description: `${node} is Ready.`,
          command: cmd.kubectlGetNode(node),
          expect: `${node} Ready, role control-plane.`,
        },
      ],
      membershipChange: null,
      risk: {
        expectedDurationS: stepDurationS.kubeadmJoin,
        leaderElection: 'none',
        note: 'Add the node to the load balancer once its apiserver is ready.',
      },
      rollback: {
        description: `kubeadm reset on ${node}, then delete the Node.`,
        commands: [cmd.kubeadmReset(), cmd.kubectlDeleteNode(node)],
      },
      source: [changeSources.kubeadmJoin],
    });
  }
  for (const node of resets) {
    b.push({
      action: 'kubeadm-reset',
      title: `Remove control-plane node ${node} (no etcd member on it)`,
      node,
      commands: [
        { runOn: node, purpose: 'Take it out of the load balancer first, then reset it.', command: cmd.kubeadmReset() },
        { runOn: 'any control-plane node', purpose: 'Delete the Node object.', command: cmd.kubectlDeleteNode(node) },
      ],
      manifestEdits: [],
      checks: [{ description: 'The remaining apiservers serve.', command: cmd.readyzEtcd(), expect: 'ok' }],
      membershipChange: null,
      risk: {
        expectedDurationS: stepDurationS.kubeadmReset,
        leaderElection: 'none',
        note: 'Controller-manager or scheduler leases held there move to another node after the lease expires.',
      },
      rollback: {
        description: `Join ${node} again.`,
        commands: [cmd.kubeadmJoin(input.target.loadBalancer.endpoint, undefined)],
      },
      source: [changeSources.kubeadmReset],
    });
  }
}

export function rollingSteps(b: PlanBuilder, input: RollingInput): void {
  const { diff, failed } = input;
  const keep = new Set(input.targetInfo.keys());
  const infoOf = (name: string) => input.currentInfo.get(name) ?? input.targetInfo.get(name)!;
  const changes =
    diff.remove.length + diff.rebuild.length + diff.add.length + diff.addLearners.length + diff.promote.length;
  if (changes > 0 || input.hops.length > 0) snapshotStep(b, 'a restore point if anything goes wrong.');

  // Failed members first: a dead voter still counts toward the quorum until it is removed.
  for (const name of [...diff.remove, ...diff.rebuild].filter((n) => failed.has(n))) removeOne(b, input, name, keep);
  // Learners that go leave before anyone joins: they hold no vote, and each one fills the learner limit.
  const learnersLeaving = [...diff.remove, ...diff.rebuild].filter(
    (n) => !failed.has(n) && b.state.find((m) => m.name === n)?.learner,
  );
  for (const name of learnersLeaving) removeOne(b, input, name, keep);
  // Promotions free the learner slot too; then the failed members come back, rebuilt.
  for (const name of diff.promote) promote(b, name);
  for (const name of diff.rebuild.filter((n) => failed.has(n))) addVoter(b, input, name);
  for (const hop of input.hops) versionHop(b, hop, infoOf, keep);

  const cpJoins = input.target.controlPlaneNodes
    .map((n) => n.name)
    .filter((n) => !input.current.controlPlaneNodes.some((c) => c.name === n));
  const cpResets = input.current.controlPlaneNodes
    .map((n) => n.name)
    .filter((n) => !input.target.controlPlaneNodes.some((t) => t.name === n));
  // Stacked → stacked: a node's join or reset is its member's; otherwise nodes change on their own.
  const nodesCarryMembers = input.current.topology === 'stacked' && input.target.topology === 'stacked';
  // External → stacked: new nodes join (still with external etcd) before their members are added.
  if (!nodesCarryMembers && input.target.topology === 'stacked') controlPlaneOnly(b, input, cpJoins, []);

  for (const name of diff.add) addVoter(b, input, name);
  for (const name of diff.rebuild.filter((n) => !failed.has(n))) {
    if (!learnersLeaving.includes(name)) removeOne(b, input, name, keep);
    addVoter(b, input, name);
  }
  updateApiservers(b, input);
  for (const name of diff.remove.filter((n) => !failed.has(n) && !learnersLeaving.includes(n)))
    removeOne(b, input, name, keep);
  for (const name of diff.addLearners) addLearner(b, input.targetInfo.get(name)!);
  if (!nodesCarryMembers) controlPlaneOnly(b, input, input.target.topology === 'stacked' ? [] : cpJoins, cpResets);
}
