/**
 * @module changes/kinds
 * Names what a plan does, from the two proposals and the member diff: grow, shrink, replace, move-zones,
 * a topology switch, an upgrade or downgrade, control-plane node changes, a restore.
 */
import type { Proposal } from '../proposal.js';
import type { MemberDiff } from './rolling.js';
import type { ChangeKind } from './types.js';

function membershipKinds(current: Proposal, target: Proposal, diff: MemberDiff, restore: boolean): ChangeKind[] {
  const kinds: ChangeKind[] = [];
  const before = current.etcdMembers.filter((m) => !m.learner).length;
  const after = target.etcdMembers.filter((m) => !m.learner).length;
  if (after > before) kinds.push('grow');
  if (after < before) kinds.push('shrink');
  if (restore) return kinds;
  // A member keeps its name in another zone, or members leave and join so that the zones' shares change.
  const zoneOf = (p: Proposal, name: string) => p.etcdMembers.find((m) => m.name === name)?.zone;
  const zonesOf = (p: Proposal) =>
    p.etcdMembers
      .map((m) => m.zone)
      .sort()
      .join();
  const swaps = diff.add.length > 0 && diff.remove.length > 0;
  const moved = diff.rebuild.some((n) => zoneOf(current, n) !== zoneOf(target, n));
  if (moved || (swaps && zonesOf(current) !== zonesOf(target))) kinds.push('move-zones');
  if (diff.rebuild.length > 0 || swaps) kinds.push('replace');
  return kinds;
}

export function kindsOf(
  current: Proposal,
  target: Proposal,
  diff: MemberDiff,
  path: readonly string[],
  restore: boolean,
): ChangeKind[] {
  const kinds: ChangeKind[] = restore ? ['restore'] : [];
  if (current.topology !== target.topology)
    kinds.push(target.topology === 'external' ? 'stacked-to-external' : 'external-to-stacked');
  else kinds.push(...membershipKinds(current, target, diff, restore));
  if (path.length > 1) kinds.push(path[path.length - 1]! > path[0]! ? 'upgrade' : 'downgrade');
  // Stacked to stacked, a node's join or reset is its member's: already a grow, shrink or replace.
  const stackedBoth = current.topology === 'stacked' && target.topology === 'stacked';
  const nodes = (p: Proposal) => p.controlPlaneNodes.map((n) => n.name).join();
  if (!stackedBoth && nodes(current) !== nodes(target)) kinds.push('control-plane-nodes');
  return kinds.length > 0 ? kinds : ['none'];
}
