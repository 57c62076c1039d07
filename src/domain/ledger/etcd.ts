/**
 * @module ledger/etcd
 * What etcd itself does, per minor version, with the exact texts it prints. Every text here was read in
 * etcd-io/etcd at the tag named in {@link etcdTags}; docs/reference/ledger.md lists them with links.
 */
import type { EtcdVersion } from '../etcd-versions.js';
import { type Citation, githubFile } from './citation.js';

/** The release of each minor version the texts were checked against. */
export const etcdTags: Readonly<Record<EtcdVersion, string>> = { '3.4': 'v3.4.45', '3.5': 'v3.5.33', '3.6': 'v3.6.14' };

const repo = 'etcd-io/etcd';

/** etcd 3.5 moved the server's packages under server/ and the client API under api/. */
function etcdFile(version: EtcdVersion, path34: string, path35: string, title?: string): Citation {
  return githubFile(repo, etcdTags[version], version === '3.4' ? path34 : path35, title);
}

export const etcdCitations = {
  /** Config.Validate (the flag checks), the defaults, maxElectionMs and ElectionTicks. */
  config: (v: EtcdVersion) =>
    etcdFile(v, 'embed/config.go', 'server/embed/config.go', `etcd ${v} embed/config.go (Config.Validate)`),
  /** How a refused flag is logged. */
  main: (v: EtcdVersion) =>
    etcdFile(v, 'etcdmain/etcd.go', 'server/etcdmain/etcd.go', `etcd ${v} etcdmain/etcd.go (startEtcdOrProxyV2)`),
  /** The learner limit. */
  membership: (v: EtcdVersion) =>
    v === '3.6'
      ? githubFile(repo, etcdTags[v], 'server/etcdserver/api/membership/cluster_opts.go', 'etcd 3.6 DefaultMaxLearners')
      : etcdFile(
          v,
          'etcdserver/api/membership/cluster.go',
          'server/etcdserver/api/membership/cluster.go',
          `etcd ${v} maxLearners`,
        ),
  /** The gRPC error texts a client (etcdctl) receives. */
  rpcErrors: (v: EtcdVersion) =>
    etcdFile(
      v,
      'etcdserver/api/v3rpc/rpctypes/error.go',
      'api/v3rpc/rpctypes/error.go',
      `etcd ${v} rpctypes/error.go (ErrGRPCTooManyLearners)`,
    ),
} as const;

/** etcd's defaults, identical in 3.4–3.6 (embed.NewConfig). */
export const etcdDefaults = { heartbeatIntervalMs: 100, electionTimeoutMs: 1000 } as const;

/** `maxElectionMs` in embed/config.go: a longer `--election-timeout` is refused. Same in 3.4–3.6. */
export const maxElectionTimeoutMs = 50_000;

/** `--pre-vote` default: false in 3.4 (`PreVote: false`), true from 3.5 (`PreVote: true`). */
export function preVoteDefault(version: EtcdVersion): boolean {
  return version !== '3.4';
}

/**
 * Learners allowed at once: 3.4 and 3.5 hard-code `const maxLearners = 1`; 3.6 adds `--max-learners` with
 * `DefaultMaxLearners = 1`.
 */
export const defaultMaxLearners = 1;

/**
 * The error texts of Config.Validate, identical at v3.4.45, v3.5.33 and v3.6.14. Go prints the uint
 * millisecond values with %d / %v; our inputs are whole milliseconds, so `${n}` prints the same digits.
 */
export const etcdValidationTexts = {
  heartbeatNotPositive: (tickMs: number) => `--heartbeat-interval must be >0 (set to ${tickMs}ms)`,
  electionNotPositive: (electionMs: number) => `--election-timeout must be >0 (set to ${electionMs}ms)`,
  electionBelow5Heartbeats: (electionMs: number, tickMs: number) =>
    `--election-timeout[${electionMs}ms] should be at least as 5 times as --heartbeat-interval[${tickMs}ms]`,
  electionTooLong: (electionMs: number) =>
    `--election-timeout[${electionMs}ms] is too long, and should be set less than ${maxElectionTimeoutMs}ms`,
} as const;

/**
 * What etcd logs when Config.Validate refuses a flag, then exits with status 1. 3.4 logs with capnslog by
 * default (`--logger=capnslog`): `etcdmain: error verifying flags, <err>. See 'etcd --help'.`. 3.5 and 3.6
 * log with zap only: a warn entry with msg "failed to verify flags" and an "error" field holding <err>.
 */
export function etcdRefusalLog(version: EtcdVersion, errorText: string): string {
  return version === '3.4'
    ? `etcd refuses to start; it logs "error verifying flags, ${errorText}. See 'etcd --help'." and exits with status 1.`
    : `etcd refuses to start; it logs "failed to verify flags" with the error "${errorText}" and exits with status 1.`;
}

/**
 * Raft counts the election timeout in whole heartbeat ticks: `ElectionTicks()` is
 * `int(cfg.ElectionMs / cfg.TickMs)` on unsigned integers, so 1050 ms with a 100 ms heartbeat is 10 ticks.
 */
export function electionTicks(electionMs: number, tickMs: number): number {
  return Math.floor(electionMs / tickMs);
}

/**
 * What `etcdctl member add --learner` prints when the cluster already has its learner limit: etcdctl writes
 * "Error:" and the gRPC error's text, ErrGRPCTooManyLearners. Same in 3.4–3.6.
 */
export const tooManyLearnersEtcdctlText = 'etcdserver: too many learner members in cluster';

/** The server-side error behind it (membership.ErrTooManyLearners), which only the server's log shows. */
export const tooManyLearnersServerText = 'membership: too many learner members in cluster';
