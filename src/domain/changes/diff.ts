/**
 * @module changes/diff
 * Matches current and target by member name: a name only in target is new, only in current is removed;
 * the same name at another place (zone, host or address) or named in replaceMembers/failedMembers is
 * rebuilt (removed, then added again with a fresh data directory).
 */
import { etcdMembersConfig, memberEndpoints } from '../config/etcd-members.js';
import type { ConfigPaths } from '../config/paths.js';
import type { Proposal } from '../proposal.js';
import type { MemberInfo } from './builder.js';
import type { MemberDiff } from './rolling.js';

export function memberInfos(proposal: Proposal, paths: ConfigPaths): Map<string, MemberInfo> {
  const config = etcdMembersConfig(proposal, paths);
  return new Map(
    memberEndpoints(proposal).map((endpoints) => {
      const member = endpoints.member;
      const flags = config.members.find((c) => c.name === member.name)!.etcd.flags;
      const info: MemberInfo = {
        name: member.name,
        zone: member.zone,
        host: member.host,
        stacked: proposal.topology === 'stacked',
        endpoints,
        etcdFlags: flags,
      };
      return [member.name, info];
    }),
  );
}

function samePlace(a: MemberInfo, b: MemberInfo): boolean {
  return (
    a.zone === b.zone &&
    a.host === b.host &&
    a.stacked === b.stacked &&
    a.endpoints.peerUrl === b.endpoints.peerUrl &&
    a.endpoints.clientUrl === b.endpoints.clientUrl
  );
}

export function diffMembers(
  current: Map<string, MemberInfo>,
  target: Map<string, MemberInfo>,
  learnerIn: { current: (name: string) => boolean; target: (name: string) => boolean },
  replace: ReadonlySet<string>,
): MemberDiff {
  const diff: MemberDiff = { remove: [], rebuild: [], add: [], addLearners: [], promote: [] };
  for (const [name, info] of current) {
    const wanted = target.get(name);
    if (!wanted) diff.remove.push(name);
    else if (!samePlace(info, wanted) || replace.has(name)) {
      // A rebuilt member joins as what the target wants it to be.
      if (learnerIn.target(name)) {
        diff.remove.push(name);
        diff.addLearners.push(name);
      } else diff.rebuild.push(name);
    } else if (learnerIn.current(name) && !learnerIn.target(name)) diff.promote.push(name);
    else if (!learnerIn.current(name) && learnerIn.target(name)) {
      // etcd cannot demote a voter: it leaves and comes back as a learner.
      diff.remove.push(name);
      diff.addLearners.push(name);
    }
  }
  for (const name of target.keys()) {
    if (current.has(name)) continue;
    if (learnerIn.target(name)) diff.addLearners.push(name);
    else diff.add.push(name);
  }
  return diff;
}
