/**
 * @module quorum
 * Majority quorums as etcd's Raft uses them. Learners never vote, so every figure here counts voters only.
 */
import { caveatSentence } from './finding-headlines.js';
import { type Finding, sortFindings } from './findings.js';
import { type EtcdVersion, defaultEtcdVersion, hasMaxLearnersFlag, learnerLimit } from './etcd-versions.js';
import { maxRecommendedVoters, tooManyLearnersEtcdctlText } from './ledger/index.js';
import { sources } from './sources.js';
import { plural } from './text.js';

/** etcd advises against more voters than this: every write waits for a majority of them. */
export const recommendedMaxVoters = maxRecommendedVoters;

/** Votes needed to elect a leader or commit an entry: a strict majority of the voters. */
export function quorumSize(voters: number): number {
  if (!Number.isInteger(voters) || voters < 0)
    throw new RangeError(`voters must be a non-negative integer, got ${voters}`);
  return voters === 0 ? 0 : Math.floor(voters / 2) + 1;
}

/** Voters that may fail while the rest still form a quorum. */
export function tolerableFailures(voters: number): number {
  return voters === 0 ? 0 : voters - quorumSize(voters);
}

/**
 * The sentence every operation uses for etcd's quorum, so plans, config and quorum answers word it alike:
 * "etcd needs 2 of 3 voters; 1 may fail." Undefined with no voter.
 */
export function quorumSentence(voters: number): string | undefined {
  if (voters === 0) return undefined;
  const tolerated = tolerableFailures(voters);
  return `etcd needs ${quorumSize(voters)} of ${plural(voters, 'voter')}; ${tolerated === 0 ? 'none' : tolerated} may fail.`;
}

export interface QuorumRow {
  voters: number;
  quorum: number;
  tolerableFailures: number;
}

function quorumRow(voters: number): QuorumRow {
  return { voters, quorum: quorumSize(voters), tolerableFailures: tolerableFailures(voters) };
}

/** The etcd FAQ table for cluster sizes 1..maxVoters. */
export function quorumTable(maxVoters: number): QuorumRow[] {
  return Array.from({ length: maxVoters }, (_, i) => quorumRow(i + 1));
}

export interface QuorumQuestion {
  voters: number;
  learners: number;
  etcdVersion?: EtcdVersion;
  /** etcd 3.6's `--max-learners`; earlier versions fix the limit at 1 (a finding says so when another value is given). */
  maxLearners?: number;
}

/** Where each input sits in the caller's request, so findings can point at it. */
export interface QuorumPointers {
  voters: string;
  learners: string;
  etcdVersion: string;
  /** Where maxLearners was given; "maxLearners" (the query parameter) when absent. */
  maxLearners?: string;
}

export interface QuorumAnswer extends QuorumRow {
  learners: number;
  etcdVersion: EtcdVersion;
  learnerLimit: number;
  findings: Finding[];
  summary: string;
}

const defaultPointers: QuorumPointers = { voters: 'voters', learners: 'learners', etcdVersion: 'etcdVersion' };

/** Findings about a voter/learner count alone, independent of placement. */
export function quorumFindings(question: QuorumQuestion, pointers: QuorumPointers = defaultPointers): Finding[] {
  const { voters, learners } = question;
  const version = question.etcdVersion ?? defaultEtcdVersion;
  const limit = learnerLimit(version, question.maxLearners);
  const findings: Finding[] = [];

  if (voters === 0) {
    findings.push({
      code: 'NO_VOTERS',
      severity: 'error',
      message:
        'A cluster needs at least one voting member: with none, no leader can be elected and nothing can be written.',
      pointers: [pointers.voters],
      source: sources.etcdFaq,
    });
  } else if (voters === 1) {
    findings.push({
      code: 'SINGLE_VOTER',
      severity: 'warning',
      message:
        'One voting member tolerates no failure: losing it stops all writes. Use 3 voters for high availability.',
      pointers: [pointers.voters],
      source: sources.etcdFaq,
    });
  } else if (voters % 2 === 0) {
    findings.push({
      code: 'EVEN_VOTER_COUNT',
      severity: 'warning',
      message:
        `${voters} voters need ${quorumSize(voters)} for quorum and tolerate ${plural(tolerableFailures(voters), 'failure')}, ` +
        `no more than ${voters - 1} voters would; and a network split into two halves of ${voters / 2} leaves neither side a majority. ` +
        `Use ${voters - 1} or ${voters + 1}.`,
      pointers: [pointers.voters],
      source: sources.etcdFaq,
    });
  }
  if (voters > recommendedMaxVoters) {
    findings.push({
      code: 'TOO_MANY_VOTERS',
      severity: 'warning',
      message:
        `${voters} voters: every write must reach ${quorumSize(voters)} of them, which slows writes, and etcd advises no more than ` +
        `${recommendedMaxVoters}. Five voters is the usual production size.`,
      pointers: [pointers.voters],
      source: sources.etcdFaq,
    });
  }
  if (learners > limit) {
    const flagNote = hasMaxLearnersFlag(version)
      ? `etcd ${version} allows ${plural(limit, 'learner')} (raise it with --max-learners).`
      : `etcd ${version} allows at most 1 learner (a fixed limit in 3.4 and 3.5; 3.6 adds --max-learners, default 1).`;
    findings.push({
      code: 'TOO_MANY_LEARNERS',
      severity: 'error',
      message:
        `${learners} learners: ${flagNote} The voters start and the first ${plural(limit, 'learner joins', 'learners join')}; ` +
        `\`etcdctl member add --learner\` for each of the other ${plural(learners - limit, 'learner')} is refused with "${tooManyLearnersEtcdctlText}".`,
      pointers: [pointers.learners],
      source: sources.etcdMembership,
    });
  }
  if (question.maxLearners !== undefined && question.maxLearners !== limit && !hasMaxLearnersFlag(version)) {
    findings.push({
      code: 'MAX_LEARNERS_NOT_A_FLAG',
      severity: 'warning',
      message:
        `etcd ${version} has no --max-learners flag: its learner limit is fixed at ${limit}, so maxLearners ${question.maxLearners} ` +
        'does not apply. The flag exists from etcd 3.6.',
      pointers: [pointers.maxLearners ?? 'maxLearners'],
      source: sources.etcdMembership,
    });
  }
  if (learners > 0 && learners <= limit) {
    findings.push({
      code: 'LEARNERS_DO_NOT_VOTE',
      severity: 'info',
      message:
        `${plural(learners, 'learner replicates', 'learners replicate')} the log but ${learners === 1 ? 'does' : 'do'} not vote and ${learners === 1 ? 'does' : 'do'} not count toward quorum; ` +
        "promote a learner once it has caught up (at least 90% of the leader's log).",
      pointers: [pointers.learners],
      source: sources.etcdLearner,
    });
  }
  return sortFindings(findings);
}

/** A paragraph a chat bot can quote as is: the numbers first, then what to watch (details in the findings). */
function quorumSummary(answer: Omit<QuorumAnswer, 'summary'>): string {
  const { voters, learners } = answer;
  if (voters === 0)
    return 'With no voting member etcd has no quorum: it elects no leader and commits no write. Add voters; 3 for high availability.';
  const learnerNote =
    learners === 0
      ? ''
      : ` ${learners === 1 ? 'The learner does' : `The ${learners} learners do`} not vote and do not count toward quorum.`;
  const caveat = caveatSentence(answer.findings, new Set(['SINGLE_VOTER']), 2);
  return `${quorumSentence(voters)}${learnerNote}${caveat ? ` ${caveat}` : ''}`;
}

export function analyzeQuorum(question: QuorumQuestion, pointers: QuorumPointers = defaultPointers): QuorumAnswer {
  const version = question.etcdVersion ?? defaultEtcdVersion;
  const base = {
    ...quorumRow(question.voters),
    learners: question.learners,
    etcdVersion: version,
    learnerLimit: learnerLimit(version, question.maxLearners),
    findings: quorumFindings(question, pointers),
  };
  return { ...base, summary: quorumSummary(base) };
}
