/**
 * @module changes/versions
 * The etcd version path: one minor version at a time, up or down. etcd supports only upgrades that do not
 * skip a minor version (upgrading-etcd.md), and downgrades of one minor version (3.6 → 3.5 with `etcdctl
 * downgrade enable`, 3.5 → 3.4 by restarting members as 3.4 with --next-cluster-version-compatible).
 */
import { type EtcdVersion, etcdVersions } from '../etcd-versions.js';
import { changeSources } from './sources.js';
import { plural } from '../text.js';
import type { ChangeRefusal } from './types.js';

function rank(version: EtcdVersion): number {
  return etcdVersions.indexOf(version);
}

/** One minor at a time from `from` to `to`, inclusive. */
function defaultVersionPath(from: EtcdVersion, to: EtcdVersion): EtcdVersion[] {
  const step = rank(to) >= rank(from) ? 1 : -1;
  const path: EtcdVersion[] = [from];
  for (let r = rank(from); r !== rank(to); r += step) path.push(etcdVersions[r + step]!);
  return path;
}

export function checkVersionPath(
  from: EtcdVersion,
  to: EtcdVersion,
  requested: EtcdVersion[] | undefined,
  pointers: { path: string; targetVersion: string },
): { ok: true; path: EtcdVersion[] } | { ok: false; refusal: ChangeRefusal } {
  if (rank(from) - rank(to) > 1) {
    return {
      ok: false,
      refusal: {
        code: 'ETCD_DOWNGRADE_TOO_FAR',
        pointer: pointers.targetVersion,
        detail:
          `etcd ${from} → ${to} is a downgrade of ${rank(from) - rank(to)} minor versions; etcd downgrades one minor version ` +
          `at a time and a fully downgraded cluster cannot be downgraded again with its data intact. Downgrade to ` +
          `${etcdVersions[rank(from) - 1]} first, or restore a snapshot taken on ${to} (restoreFromSnapshot).`,
        source: changeSources.downgrade36,
      },
    };
  }
  if (requested === undefined) return { ok: true, path: defaultVersionPath(from, to) };
  const problem = (detail: string): { ok: false; refusal: ChangeRefusal } => ({
    ok: false,
    refusal: { code: 'ETCD_VERSION_PATH_INVALID', pointer: pointers.path, detail, source: changeSources.upgradePolicy },
  });
  if (requested[0] !== from || requested[requested.length - 1] !== to) {
    return problem(
      `The version path must start at the current version ${from} and end at the target version ${to}; got ${requested.join(' → ')}.`,
    );
  }
  for (let i = 1; i < requested.length; i++) {
    const gap = Math.abs(rank(requested[i]!) - rank(requested[i - 1]!));
    if (gap !== 1) {
      return problem(
        `${requested[i - 1]} → ${requested[i]} ${gap === 0 ? 'repeats a version' : `skips ${plural(gap - 1, 'minor version')}`}: etcd ` +
          'supports only upgrades and downgrades of one minor version at a time (a skip "will likely fail").',
      );
    }
  }
  return { ok: true, path: [...requested] };
}
