/**
 * @module plan/summary
 * The plan in a few sentences a chat bot can quote as is: the shape, the numbers, the verdict, the main caveat.
 */
import type { Finding } from '../findings.js';
import type { Proposal } from '../proposal.js';
import { hostedMessage } from '../hosted.js';
import { joinWith, plural } from '../text.js';
import type { Comparison } from './comparison.js';
import type { ZoneLoss } from './failure-domains.js';
import type { ToleranceReport } from './failure-sets.js';
import type { WriteLatency } from './write-latency.js';

export interface SummaryParts {
  proposal: Proposal;
  voters: number;
  learners: number;
  quorum: number;
  tolerances: ToleranceReport;
  zoneLosses: readonly ZoneLoss[];
  writeLatency: WriteLatency | undefined;
  comparison: Comparison;
  findings: readonly Finding[];
}

export function shapeSentence(proposal: Proposal, voters: number, learners: number): string {
  const zones = [
    ...new Set([...proposal.controlPlaneNodes.map((n) => n.zone), ...proposal.etcdMembers.map((m) => m.zone)]),
  ];
  const where = zones.length === 1 ? `in ${zones[0]}` : `over ${plural(zones.length, 'zone')} (${zones.join(', ')})`;
  const learnerNote = learners > 0 ? ` and ${plural(learners, 'learner')}` : '';
  if (proposal.topology === 'stacked') {
    const nodes = proposal.controlPlaneNodes.length;
    return nodes === 1
      ? `1 stacked control-plane node with its etcd member, ${where}`
      : `${nodes} stacked control-plane nodes, each with its etcd member, ${where}`;
  }
  return `${plural(proposal.controlPlaneNodes.length, 'control-plane node')} and ${plural(voters, 'external etcd voter')}${learnerNote} ${where}`;
}

export function planSummary(parts: SummaryParts): string {
  const { proposal, voters, learners, quorum, tolerances, zoneLosses, writeLatency, findings } = parts;
  const sentences: string[] = [];
  sentences.push(
    voters === 0
      ? `${shapeSentence(proposal, voters, learners)}: etcd has no voting member, so it can elect no leader and commit no write.`
      : `${shapeSentence(proposal, voters, learners)}: etcd needs ${quorum} of ${voters} voters for quorum.`,
  );

  const cluster = tolerances.cluster;
  if (cluster.tolerated === null) {
    sentences.push('Promote a learner or add voters: learners never vote.');
  } else if (cluster.tolerated === 0) {
    sentences.push(
      `It survives no host failure: losing ${joinWith(cluster.smallestFailingSet)} stops etcd writes or the API.`,
    );
  } else {
    sentences.push(
      `It keeps etcd, the API and the controllers working through any ${plural(cluster.tolerated, 'host failure')}; ` +
        `${plural(cluster.tolerated + 1, 'failure')} can stop it (e.g. ${joinWith(cluster.smallestFailingSet)}).`,
    );
  }

  const populated = zoneLosses.filter((loss) => loss.hosts.length > 0);
  if (populated.length > 1) {
    const fatal = populated.filter((loss) => !(loss.survives.etcdQuorum && loss.survives.apiServer));
    sentences.push(
      fatal.length === 0
        ? `It survives the loss of any one zone.`
        : `Losing ${joinWith(
            fatal.map((loss) => loss.zone),
            'or',
          )} stops it (${fatal.some((loss) => !loss.survives.etcdQuorum) ? 'etcd loses quorum' : 'no apiserver can serve'}).`,
    );
  } else if (populated.length === 1) {
    sentences.push(`Everything is in ${populated[0]!.zone}, so that zone's outage stops it.`);
  }

  if (writeLatency && voters === 1) {
    sentences.push(`A write takes at least ${writeLatency.bestMs} ms (the single voter's disk sync).`);
  } else if (writeLatency) {
    sentences.push(
      writeLatency.bestMs === writeLatency.worstMs
        ? `A write takes at least ${writeLatency.bestMs} ms (round trip to the nearest quorum plus disk sync).`
        : `A write takes at least ${writeLatency.bestMs}–${writeLatency.worstMs} ms depending on which voter leads (round trip to the nearest quorum plus disk sync).`,
    );
  }
  const caveat =
    findings.find((finding) => finding.severity === 'error') ??
    findings.find((finding) => finding.severity === 'warning');
  if (caveat) sentences.push(`Main caveat: ${caveat.message}`);
  return sentences.join(' ');
}

export function hostedSummary(_proposal: Proposal): string {
  return hostedMessage('plan');
}
