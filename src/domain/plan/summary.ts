/**
 * @module plan/summary
 * The plan in a few sentences a chat bot can quote as is, built only from the structured answer: the first
 * sentence says what the proposal survives; then etcd's quorum, zone losses with their real cause, the write
 * floor through the API, and what to watch. At most {@link maxSummaryChars} characters: the least important
 * sentences go first when it would be longer.
 */
import { caveatSentence } from '../finding-headlines.js';
import type { Finding } from '../findings.js';
import { hostedMessage } from '../hosted.js';
import { defaultZone } from '../normalize-proposal.js';
import type { Proposal } from '../proposal.js';
import { quorumSentence } from '../quorum.js';
import { joinWith, plural } from '../text.js';
import { refusedAtStartCodes } from '../timing-rules.js';
import type { Comparison } from './comparison.js';
import type { HostLoss, ZoneLoss } from './failure-domains.js';
import type { ToleranceReport } from './failure-sets.js';
import type { WriteLatency } from './write-latency.js';

/** The longest plan summary (issue 11: a bot quotes it whole). */
const maxSummaryChars = 400;

export interface SummaryParts {
  proposal: Proposal;
  voters: number;
  learners: number;
  quorum: number;
  tolerableFailures: number;
  tolerances: ToleranceReport;
  hostLosses: readonly HostLoss[];
  zoneLosses: readonly ZoneLoss[];
  writeLatency: WriteLatency | undefined;
  comparison: Comparison;
  findings: readonly Finding[];
}

/** Zone codes the zone sentence already states. */
const zoneCodes = new Set(['ZONE_HOLDS_QUORUM', 'ZONE_LOSS_LOSES_QUORUM', 'ZONE_LOSS_STOPS_API']);

/** "in a", "over 3 zones (a, b, c)"; "in one zone" when the only zone is the default the user never named. */
function whereSentence(zones: readonly string[]): string {
  if (zones.length === 1) return zones[0] === defaultZone ? 'in one zone' : `in ${zones[0]}`;
  return `over ${plural(zones.length, 'zone')} (${zones.join(', ')})`;
}

function shapeSentence(proposal: Proposal, voters: number, learners: number): string {
  const zones = [
    ...new Set([...proposal.controlPlaneNodes.map((n) => n.zone), ...proposal.etcdMembers.map((m) => m.zone)]),
  ];
  const where = whereSentence(zones);
  const learnerNote = learners > 0 ? ` and ${plural(learners, 'learner')}` : '';
  if (proposal.topology === 'stacked') {
    const nodes = proposal.controlPlaneNodes.length;
    return nodes === 1
      ? `1 stacked control-plane node with its etcd member${learnerNote}, ${where}`
      : `${nodes} stacked control-plane nodes, each with its etcd member${learnerNote}, ${where}`;
  }
  return `${plural(proposal.controlPlaneNodes.length, 'control-plane node')} and ${plural(voters, 'external etcd voter')}${learnerNote} ${where}`;
}

/** What a lost host or zone stops, from its capabilities. */
function causeOf(losses: readonly { survives: { etcdQuorum: boolean } }[]): string {
  const quorumLost = losses.filter((loss) => !loss.survives.etcdQuorum).length;
  if (quorumLost === losses.length) return 'etcd (quorum lost)';
  if (quorumLost === 0) return 'the API (no apiserver left)';
  return 'etcd or the API';
}

function works(loss: { survives: { etcdQuorum: boolean; apiServer: boolean; controllerLeaders: boolean } }): boolean {
  return loss.survives.etcdQuorum && loss.survives.apiServer && loss.survives.controllerLeaders;
}

function toleranceClause(parts: SummaryParts): string {
  const cluster = parts.tolerances.cluster;
  if (parts.voters === 0 || cluster.tolerated === null)
    return 'etcd has no voting member, so it elects no leader and commits no write; promote a learner or add voters';
  if (cluster.tolerated > 0) {
    return (
      `it survives any ${plural(cluster.tolerated, 'host failure')}; ${cluster.tolerated + 1} can stop it ` +
      `(e.g. ${joinWith(cluster.smallestFailingSet)})`
    );
  }
  const fatal = parts.hostLosses.filter((loss) => !works(loss));
  const who =
    fatal.length === parts.hostLosses.length && fatal.length === 2
      ? `either ${fatal[0]!.host} or ${fatal[1]!.host}`
      : fatal.length === parts.hostLosses.length && fatal.length > 2
        ? `any one of its ${fatal.length} hosts`
        : joinWith(
            fatal.map((loss) => loss.host),
            'or',
          );
  return `it survives no host failure: losing ${who} stops ${causeOf(fatal)}`;
}

function zoneSentence(parts: SummaryParts): string | undefined {
  const populated = parts.zoneLosses.filter((loss) => loss.hosts.length > 0);
  if (populated.length === 1) {
    const zone = populated[0]!.zone;
    return zone === defaultZone && parts.proposal.zones.length === 1
      ? 'An outage of its one zone stops it.'
      : `An outage of ${zone} stops it.`;
  }
  if (populated.length === 0) return undefined;
  const quorumLost = populated.filter((loss) => !loss.survives.etcdQuorum);
  const apiLost = populated.filter((loss) => loss.survives.etcdQuorum && !works(loss));
  if (quorumLost.length === 0 && apiLost.length === 0) return 'It survives the loss of any one zone.';
  const clauses: string[] = [];
  const zonesOf = (losses: readonly ZoneLoss[]) =>
    joinWith(
      losses.map((loss) => loss.zone),
      'or',
    );
  if (quorumLost.length > 0) clauses.push(`losing ${zonesOf(quorumLost)} stops etcd (quorum lost)`);
  if (apiLost.length > 0) clauses.push(`losing ${zonesOf(apiLost)} leaves no apiserver (etcd keeps quorum)`);
  const text = clauses.join('; ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function writeSentence(parts: SummaryParts): string | undefined {
  const latency = parts.writeLatency;
  if (!latency) return undefined;
  const through = latency.throughApiServer;
  if (!through) return `etcd commits a write in at least ${latency.bestMs} ms.`;
  const commit = parts.voters === 1 ? 'disk sync' : 'quorum round trip and disk sync';
  return through.bestHopMs > 0
    ? `A write through the API takes at least ${through.bestMs} ms (${through.bestHopMs} ms of it apiserver to leader).`
    : `A write through the API takes at least ${through.bestMs} ms (${commit}).`;
}

function refusalSentence(findings: readonly Finding[]): string | undefined {
  return findings.some((f) => refusedAtStartCodes.has(f.code))
    ? 'As written it would not start: a component refuses its timings (the findings quote the error).'
    : undefined;
}

/** Joins sentences in order, dropping the least important (highest rank) until it fits. */
function fitWithin(sentences: { text: string | undefined; rank: number }[], limit: number): string {
  let kept = sentences.filter((s): s is { text: string; rank: number } => Boolean(s.text));
  const length = () => kept.map((s) => s.text).join(' ').length;
  while (length() > limit && kept.length > 1) {
    const worst = kept.reduce((a, b) => (b.rank > a.rank ? b : a));
    kept = kept.filter((s) => s !== worst);
  }
  return kept.map((s) => s.text).join(' ');
}

export function planSummary(parts: SummaryParts): string {
  const shape = shapeSentence(parts.proposal, parts.voters, parts.learners);
  const caveat = (max: number) => caveatSentence(parts.findings, new Set([...zoneCodes, ...refusedAtStartCodes]), max);
  const sentences = [
    { text: `${shape}: ${toleranceClause(parts)}.`, rank: 0 },
    { text: refusalSentence(parts.findings), rank: 1 },
    { text: quorumSentence(parts.voters), rank: 2 },
    { text: zoneSentence(parts), rank: 3 },
    { text: writeSentence(parts), rank: 5 },
    { text: caveat(2) || undefined, rank: 4 },
  ];
  const full = fitWithin(sentences, Number.POSITIVE_INFINITY);
  if (full.length <= maxSummaryChars) return full;
  sentences[5] = { text: caveat(1) || undefined, rank: 4 };
  return fitWithin(sentences, maxSummaryChars);
}

export function hostedSummary(_proposal: Proposal): string {
  return hostedMessage('plan');
}
