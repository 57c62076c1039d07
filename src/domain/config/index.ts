/**
 * @module config
 * Everything needed to configure the proposed control plane: each etcd member's flags (and the learner
 * procedure), the apiservers' etcd flags, the controller-manager and scheduler leader-election flags, and
 * kubeadm's ClusterConfiguration. Every artefact is structured data plus the text rendered from it.
 *
 * The answer always comes back, also for timings no component would accept: then `startable` is false and
 * the error findings say which component refuses what, in its own words.
 */
import { type Finding, sortFindings } from '../findings.js';
import type { Proposal } from '../proposal.js';
import { quorumFindings, quorumSentence, quorumSize, tolerableFailures } from '../quorum.js';
import { caveatSentence, headlineOf } from '../finding-headlines.js';
import { hostedFinding, hostedMessage, isProviderRun } from '../hosted.js';
import { sources } from '../sources.js';
import { plural } from '../text.js';
import { refusedAtStartCodes, timingFindings } from '../timing-rules.js';
import { placeholderFor } from './addresses.js';
import { type ApiServerConfig, apiServerConfig } from './apiserver.js';
import type { CommandLine } from './command-line.js';
import { type EtcdMemberConfig, type LearnerProcedure, etcdMembersConfig, memberEndpoints } from './etcd-members.js';
import { type KubeadmConfig, kubeadmConfig } from './kubeadm.js';
import { leaderElectionCommand } from './leader-election.js';
import { type ConfigPaths, resolvePaths } from './paths.js';

export interface ConfigOptions {
  /** Certificate and data paths; kubeadm's defaults for anything not given. */
  paths?: Partial<ConfigPaths>;
  /** Where the proposal sits in the request ("" for a proposal body, "/cluster" when nested). */
  basePointer?: string;
}

interface Placeholder {
  placeholder: string;
  /** What to put there. */
  meaning: string;
}

export interface ConfigAnswer {
  topology: Proposal['topology'];
  etcdVersion: Proposal['etcd']['version'];
  /** False when a component would refuse this configuration at start (see the error findings). */
  /** Null on a hosted platform: the provider starts its own components. */
  startable: boolean | null;
  voters: number;
  learners: number;
  /** Null on a hosted platform, like the plan's: the provider sizes etcd (src/domain/hosted.ts). */
  quorum: number | null;
  tolerableFailures: number | null;
  paths: ConfigPaths;
  /** Stand-ins for addresses the request did not give; replace them before use. */
  placeholders: Placeholder[];
  /** Empty for a hosted control plane, whose etcd and flags belong to the provider. */
  etcd: {
    initialClusterToken: string;
    /** How these flags are meant to be used (static bootstrap; what kubeadm does instead when it runs etcd). */
    bootstrap: string;
    members: EtcdMemberConfig[];
    learnerProcedures: LearnerProcedure[];
  } | null;
  apiServer: ApiServerConfig | null;
  controllerManager: CommandLine | null;
  scheduler: CommandLine | null;
  kubeadm: KubeadmConfig | null;
  findings: Finding[];
  summary: string;
}

/**
 * Findings that stop the cluster from coming up. Too many learners is not one of them: the voters start, and
 * only the extra learner's `member add` is refused (claims ledger: learner-limit-text).
 */
const startBlockingCodes = new Set([...refusedAtStartCodes, 'NO_VOTERS']);

/** The longest configuration summary. */
const maxConfigSummaryChars = 400;

/** Sentences that fit the summary limit, in order (the placeholder note goes first when too long). */
function joinFitting(sentences: (string | undefined)[], limit: number): string {
  const kept = sentences.filter((s): s is string => Boolean(s));
  while (kept.join(' ').length > limit && kept.length > 1) kept.pop();
  return kept.join(' ');
}

function configSummary(answer: Omit<ConfigAnswer, 'summary'>): string {
  if (answer.etcd === null) return hostedMessage('config');
  const members =
    plural(answer.voters, 'voting etcd member') +
    (answer.learners > 0 ? ` and ${plural(answer.learners, 'learner')}` : '');
  const what = `This configuration of ${members} (${answer.topology}, etcd ${answer.etcdVersion})`;
  const blocker = answer.findings.find((f) => startBlockingCodes.has(f.code));
  const first = blocker
    ? `${what} would not start: ${headlineOf(blocker)} (the findings quote the error).`
    : `${what} starts: every component accepts its flags.`;
  const placeholders =
    answer.placeholders.length > 0
      ? `Replace the <…-address> placeholders first: ${plural(answer.placeholders.length, 'address was', 'addresses were')} not given.`
      : undefined;
  return joinFitting(
    [
      first,
      quorumSentence(answer.voters),
      caveatSentence(
        answer.findings,
        new Set(['CONFIG_ADDRESS_PLACEHOLDERS', ...(blocker ? [blocker.code] : [])]),
        2,
      ) || undefined,
      placeholders,
    ],
    maxConfigSummaryChars,
  );
}

function bootstrapNote(proposal: Proposal): string {
  const staticBootstrap =
    'A static bootstrap: start every voter with its flags, in any order; each finds the others through --initial-cluster, ' +
    'and once a quorum of them is up they elect a leader. Learners join afterwards, by their procedure.';
  if (proposal.topology === 'external') return staticBootstrap;
  return (
    `${staticBootstrap} With kubeadm (stacked), kubeadm writes these flags into /etc/kubernetes/manifests/etcd.yaml itself, ` +
    'adding ClusterConfiguration etcd.local.extraArgs: the first node starts a one-member cluster and each node that joins is ' +
    'added with member add and started with --initial-cluster-state=existing. Either way the running cluster ends up with ' +
    'the same members, URLs and timings.'
  );
}

export function generateConfig(proposal: Proposal, options: ConfigOptions = {}): ConfigAnswer {
  const paths = resolvePaths(options.paths);
  const voterCount = proposal.etcdMembers.filter((m) => !m.learner).length;
  const learnerCount = proposal.etcdMembers.length - voterCount;
  const base = options.basePointer ?? '';
  const membersPointer = `${base}${proposal.topology === 'stacked' ? '/controlPlane/nodes' : '/etcd/members'}`;
  // On a hosted platform the provider sizes etcd: no count finding applies (src/domain/hosted.ts).
  const countFindings = isProviderRun(proposal)
    ? []
    : [
        ...quorumFindings(
          {
            voters: voterCount,
            learners: learnerCount,
            etcdVersion: proposal.etcd.version,
            maxLearners: proposal.etcd.maxLearners,
          },
          { voters: membersPointer, learners: membersPointer, etcdVersion: `${base}/etcd/version` },
        ).filter((f) => f.severity === 'error'),
      ];
  const findings: Finding[] = [...countFindings, ...timingFindings(proposal, base)];
  const counts = {
    topology: proposal.topology,
    etcdVersion: proposal.etcd.version,
    voters: voterCount,
    learners: learnerCount,
    quorum: quorumSize(voterCount),
    tolerableFailures: tolerableFailures(voterCount),
    paths,
  };

  if (isProviderRun(proposal)) {
    findings.push(hostedFinding('config', `${base}/platform`));
    const sorted = sortFindings(findings);
    const partial = {
      ...counts,
      quorum: null,
      tolerableFailures: null,
      startable: null,
      placeholders: [],
      etcd: null,
      apiServer: null,
      controllerManager: null,
      scheduler: null,
      kubeadm: null,
      findings: sorted,
    };
    return { ...partial, summary: configSummary(partial) };
  }

  const endpoints = memberEndpoints(proposal);
  const etcd = etcdMembersConfig(proposal, paths);
  const apiServer = apiServerConfig(proposal, endpoints, paths);
  const voterClientUrls = endpoints.filter((e) => !e.member.learner).map((e) => e.clientUrl);
  const kubeadm = kubeadmConfig(proposal, paths, voterClientUrls);

  const placeholders: Placeholder[] = endpoints
    .filter((e) => e.address.kind === 'placeholder')
    .map((e) => ({
      placeholder: placeholderFor(e.member.host),
      meaning: `The IP address of ${e.member.host} (etcd member ${e.member.name}), which the request did not give.`,
    }));
  if (placeholders.length > 0) {
    findings.push({
      code: 'CONFIG_ADDRESS_PLACEHOLDERS',
      severity: 'warning',
      message:
        `${plural(placeholders.length, 'host has', 'hosts have')} no address in the request (${placeholders.map((p) => p.placeholder).join(', ')}); ` +
        'the generated flags carry placeholders that must be replaced before use.',
      pointers: endpoints.filter((e) => e.address.kind === 'placeholder').map((e) => e.member.pointer),
    });
  }
  if (etcd.learnerProcedures.length > 0) {
    findings.push({
      code: 'LEARNERS_JOIN_AFTER_BOOTSTRAP',
      severity: 'info',
      message:
        'etcd has no flag that starts a member as a learner: start the voters first, then for each learner run the listed ' +
        'steps (member add --learner, start with --initial-cluster-state=existing, promote when caught up if it should vote).',
      pointers: endpoints.filter((e) => e.member.learner).map((e) => e.member.pointer),
      source: sources.etcdLearner,
    });
  }

  const sorted = sortFindings(findings);
  const partial = {
    ...counts,
    startable: !sorted.some((f) => startBlockingCodes.has(f.code)),
    placeholders,
    etcd: {
      initialClusterToken: etcd.token,
      bootstrap: bootstrapNote(proposal),
      members: etcd.members,
      learnerProcedures: etcd.learnerProcedures,
    },
    apiServer,
    controllerManager: leaderElectionCommand(proposal, 'kube-controller-manager'),
    scheduler: leaderElectionCommand(proposal, 'kube-scheduler'),
    kubeadm,
    findings: sorted,
  };
  return { ...partial, summary: configSummary(partial) };
}
