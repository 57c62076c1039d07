/**
 * @module simulation/election-setup
 * From what a caller asks for (a normalized cluster, or a member count, a timing model, network knobs, member
 * log positions, or a named preset) to what the engine runs: the ElectionConfig, the words describing it and
 * the network model it used — or the errors, each with the JSON pointer of the field at fault. The HTTP route
 * only parses, calls this, and shapes the answer.
 */
import { defaultEtcdVersion, type EtcdVersion, preVoteDefault } from '../etcd-versions.js';
import { normalizeProposal } from '../normalize-proposal.js';
import type { ProposalInput } from '../proposal-input.js';
import type { Proposal } from '../proposal.js';
import { quorumSize } from '../quorum.js';
import { type ClassicTiming, type ElectionConfig, electionConfigFromProposal, msToUs } from './election-config.js';

/** The engine's clock counts whole microseconds: the smallest duration it can represent, in ms. */
export const minDurationMs = 0.001;

/** Default jitter of a message: uniform [0, 0.1 × one-way latency]. */
const defaultJitterFraction = 0.1;

/**
 * Classic timers fire up to this late (OS timer and scheduling variation), unless the request says otherwise.
 * Without any variation, equal timeouts keep candidates in lock step forever; real timers never are exact.
 */
export const defaultClassicTimerJitterMs = 0.5;

/**
 * fsync's spread (σ of its logarithm) unless the request says otherwise: fitted to 400 graceful stops of a real
 * etcd 3.4 on this project's machine (docs/CALIBRATION.md, 2026-11-26), whose handovers took p50 2.6–3.8 ms,
 * p90 11 ms and p99 26–49 ms; with a 1 ms median fsync, σ = 1.4 gives p50 3.2–3.4, p90 10.6, p99 34–37 ms.
 */
export const defaultDiskSyncSpread = 1.4;

export interface SetupError {
  pointer: string;
  detail: string;
}

interface ClassicRequest {
  electionTimeoutMinMs: number;
  electionTimeoutMaxMs: number;
  heartbeatIntervalMs?: number;
  voteRetryMs?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  leaderLease?: boolean;
  timerJitterMs?: number;
  syncBeforeVoteRequest?: boolean;
}

interface NetworkRequest {
  jitterFraction?: number;
  lossProbability?: number;
  diskSyncJitterMs?: number;
  diskSyncTailMs?: number;
  diskSyncSpread?: number;
}

/** The etcd-kind request fields the engine setup reads (the HTTP schema validates their ranges). */
export interface ElectionRequest {
  preset?: string;
  presetTimeoutMs?: { minMs: number; maxMs: number };
  members?: number;
  learners?: number;
  etcd?: {
    version?: EtcdVersion;
    heartbeatIntervalMs?: number;
    electionTimeoutMs?: number;
    preVote?: boolean;
    diskSyncMs?: number;
  };
  rttMs?: number;
  model?: 'etcd' | 'classic';
  classic?: ClassicRequest;
  networkModel?: NetworkRequest;
  memberLogs?: Record<string, { lastLogTerm?: number; lastLogIndex?: number }>;
}

/** The network the engine ran, echoed in the answer. */
interface NetworkModel {
  /** Smallest and largest one-way latency between two members, ms. */
  oneWayMs: { min: number; max: number };
  jitterFraction: number;
  lossProbability: number;
  diskSyncMs: number;
  diskSyncJitterMs: number;
  diskSyncTailMs: number;
  diskSyncSpread: number;
}

export type ElectionSetup =
  | { ok: true; config: ElectionConfig; words: string; network: NetworkModel; voters: number; quorum: number }
  | { ok: false; errors: SetupError[] };

const fail = (pointer: string, detail: string): ElectionSetup => ({ ok: false, errors: [{ pointer, detail }] });

/** The cluster of the `members` form: voters etcd-1…, then learners, one zone, the given etcd flags and RTT. */
function plainClusterInput(request: ElectionRequest): ProposalInput {
  const voters = request.members ?? 3;
  const learners = request.learners ?? 0;
  const etcd = request.etcd ?? {};
  const input: ProposalInput = {
    topology: 'external',
    controlPlane: { nodes: 1 },
    etcd: {
      members: Array.from({ length: voters + learners }, (_, i) => ({
        name: `etcd-${i + 1}`,
        ...(i >= voters ? { learner: true } : {}),
      })),
      ...(etcd.version !== undefined ? { version: etcd.version } : {}),
      ...(etcd.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: etcd.heartbeatIntervalMs } : {}),
      ...(etcd.electionTimeoutMs !== undefined ? { electionTimeoutMs: etcd.electionTimeoutMs } : {}),
      ...(etcd.preVote !== undefined ? { preVote: etcd.preVote } : {}),
      ...(etcd.diskSyncMs !== undefined ? { diskSyncMs: etcd.diskSyncMs } : {}),
      // Learners beyond etcd's limit are the planner's finding; the simulator just runs them (3.6 only has the flag).
      ...(learners > 1 && (etcd.version ?? defaultEtcdVersion) === '3.6' ? { maxLearners: learners } : {}),
    },
    ...(request.rttMs !== undefined ? { network: { intraZoneRttMs: request.rttMs } } : {}),
  };
  return input;
}

/** normalizeProposal over the `members` form. */
export function plainClusterProposal(request: ElectionRequest) {
  return normalizeProposal(plainClusterInput(request));
}

/** The engine setup of a cluster (`cluster` or `members` form); `base` points at its etcd flags. */
export function electionSetup(proposal: Proposal, request: ElectionRequest, base: string): ElectionSetup {
  if (request.presetTimeoutMs !== undefined) return fail('/presetTimeoutMs', 'Only with `preset`.');
  const { heartbeatIntervalMs, electionTimeoutMs } = proposal.etcd;
  if (!(heartbeatIntervalMs >= minDurationMs))
    return fail(
      `${base}/heartbeatIntervalMs`,
      `Must be at least ${minDurationMs} ms: the simulation clock counts whole microseconds (got ${heartbeatIntervalMs}).`,
    );
  if (!(electionTimeoutMs >= heartbeatIntervalMs))
    return fail(
      `${base}/electionTimeoutMs`,
      'Must be at least the heartbeat interval: etcd counts the election timeout in whole heartbeat ticks (at least one).',
    );
  const network = request.networkModel ?? {};
  const config = electionConfigFromProposal(proposal, {
    jitterFraction: network.jitterFraction ?? defaultJitterFraction,
    lossProbability: network.lossProbability ?? 0,
  });
  if (network.diskSyncJitterMs) config.network.diskSyncJitterUs = msToUs(network.diskSyncJitterMs);
  if (network.diskSyncTailMs) config.network.diskSyncTailUs = msToUs(network.diskSyncTailMs);
  config.network.diskSyncSpread = network.diskSyncSpread ?? defaultDiskSyncSpread;
  const logErrors = applyMemberLogs(config, request.memberLogs);
  if (logErrors.length > 0) return { ok: false, errors: logErrors };
  const voters = config.members.filter((m) => !m.learner).length;
  const learnerCount = config.members.length - voters;
  const learnerWords = learnerCount ? ` with ${learnerCount} learner${learnerCount > 1 ? 's' : ''}` : '';
  if ((request.model ?? 'etcd') === 'classic') {
    const classic = request.classic;
    if (!classic)
      return fail('/classic', 'The classic model needs `classic` with electionTimeoutMinMs and electionTimeoutMaxMs.');
    if (classic.electionTimeoutMaxMs < classic.electionTimeoutMinMs)
      return fail('/classic/electionTimeoutMaxMs', 'Must be at least electionTimeoutMinMs.');
    config.timing = classicTiming(classic);
    const words = `a ${voters}-member cluster${learnerWords} running classic Raft (timeouts ${classic.electionTimeoutMinMs}–${classic.electionTimeoutMaxMs} ms)`;
    return { ok: true, config, words, network: networkModel(config, network), voters, quorum: quorumSize(voters) };
  }
  if (request.classic !== undefined) return fail('/classic', 'Only with model "classic".');
  const preVote = proposal.etcd.preVote ?? preVoteDefault(proposal.etcd.version);
  const ticks = Math.floor(electionTimeoutMs / heartbeatIntervalMs);
  const words =
    `a ${voters}-member etcd ${proposal.etcd.version} cluster${learnerWords} ` +
    `(heartbeat ${heartbeatIntervalMs} ms, election timeout ${electionTimeoutMs} ms = ${ticks} ticks, pre-vote ${preVote ? 'on' : 'off'})`;
  return { ok: true, config, words, network: networkModel(config, network), voters, quorum: quorumSize(voters) };
}

/** Classic timing with its defaults: heartbeat min/2, no retries, no pre-vote/check-quorum/lease, timer jitter. */
function classicTiming(classic: ClassicRequest): ClassicTiming {
  return {
    model: 'classic',
    electionTimeoutMinMs: classic.electionTimeoutMinMs,
    electionTimeoutMaxMs: classic.electionTimeoutMaxMs,
    heartbeatIntervalMs: classic.heartbeatIntervalMs ?? classic.electionTimeoutMinMs / 2,
    ...(classic.voteRetryMs !== undefined ? { voteRetryMs: classic.voteRetryMs } : {}),
    preVote: classic.preVote ?? false,
    checkQuorum: classic.checkQuorum ?? false,
    leaderLease: classic.leaderLease ?? false,
    syncBeforeVoteRequest: classic.syncBeforeVoteRequest ?? true,
    timerJitterMs: classic.timerJitterMs ?? defaultClassicTimerJitterMs,
  };
}

/** Member log positions at the first fault (the paper's differing logs), checked against the members. */
function applyMemberLogs(config: ElectionConfig, logs: ElectionRequest['memberLogs']): SetupError[] {
  if (!logs) return [];
  const errors: SetupError[] = [];
  const names = config.members.map((m) => m.name);
  for (const [name, log] of Object.entries(logs)) {
    const member = config.members.find((m) => m.name === name);
    if (!member) {
      errors.push({ pointer: `/memberLogs/${name}`, detail: `No member "${name}" (members: ${names.join(', ')}).` });
      continue;
    }
    if (log.lastLogTerm !== undefined) member.lastLogTerm = log.lastLogTerm;
    if (log.lastLogIndex !== undefined) member.lastLogIndex = log.lastLogIndex;
  }
  return errors;
}

function networkModel(config: ElectionConfig, request: NetworkRequest): NetworkModel {
  const n = config.members.length;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      min = Math.min(min, config.network.oneWayUs[i]![j]!);
      max = Math.max(max, config.network.oneWayUs[i]![j]!);
    }
  if (n === 1) min = 0;
  return {
    oneWayMs: { min: min / 1000, max: max / 1000 },
    jitterFraction: request.jitterFraction ?? defaultJitterFraction,
    lossProbability: config.network.lossProbability,
    diskSyncMs: config.network.diskSyncUs / 1000,
    diskSyncJitterMs: (config.network.diskSyncJitterUs ?? 0) / 1000,
    diskSyncTailMs: (config.network.diskSyncTailUs ?? 0) / 1000,
    diskSyncSpread: config.network.diskSyncSpread ?? 0,
  };
}
