/**
 * Hand-built inputs for the control-plane layer: proposals written out in full, and etcd reports built by hand
 * (the etcd layer's output for a scenario, stated directly), so each test controls exactly what etcd does.
 */
import type { Proposal } from '../../src/domain/proposal.js';
import type { EtcdServiceTimeline, IntervalUs } from '../../src/domain/simulation/availability.js';

export const s = (seconds: number): number => Math.round(seconds * 1_000_000);

export function proposal(topology: 'stacked' | 'external', overrides: Partial<Proposal> = {}): Proposal {
  const zones = ['a', 'b', 'c'];
  const controlPlaneNodes = zones.map((zone, i) => ({
    name: `cp-${i + 1}`,
    zone,
    pointer: `/controlPlane/nodes/${i}`,
  }));
  const etcdMembers =
    topology === 'stacked'
      ? controlPlaneNodes.map((n, i) => ({
          name: `etcd-${n.name}`,
          zone: n.zone,
          host: n.name,
          learner: false,
          pointer: `/controlPlane/nodes/${i}`,
        }))
      : zones.map((zone, i) => ({
          name: `etcd-${i + 1}`,
          zone,
          host: `etcd-${i + 1}`,
          learner: false,
          pointer: `/etcd/members/${i}`,
        }));
  return {
    topology,
    platform: 'self-managed',
    zones,
    controlPlaneNodes,
    etcdMembers,
    network: { intraZoneRttMs: 0.5, interZoneRttMs: 2, zonePairRttMs: {} },
    etcd: {
      version: '3.5',
      heartbeatIntervalMs: 100,
      electionTimeoutMs: 1000,
      preVote: true,
      maxLearners: 1,
      diskSyncMs: 1,
    },
    kubernetesVersion: '1.36',
    leaderElection: { leaseDurationS: 15, renewDeadlineS: 10, retryPeriodS: 2 },
    loadBalancer: {
      endpoint: 'k8s-api.example.internal:6443',
      healthCheckIntervalS: 2,
      healthCheckTimeoutS: 1,
      unhealthyThreshold: 3,
      healthyThreshold: 2,
    },
    ...overrides,
  } as Proposal;
}

/**
 * An etcd report: every member writable over [0, horizon) except the listed outages; the cluster is writable
 * whenever some member is (unless clusterOutages says otherwise).
 */
export function etcdReport(
  members: string[],
  horizonUs: number,
  memberOutages: Record<string, IntervalUs[]> = {},
  clusterOutages: IntervalUs[] = [],
): EtcdServiceTimeline {
  const minus = (outages: IntervalUs[]): IntervalUs[] => {
    const out: IntervalUs[] = [];
    let cursor = 0;
    for (const o of [...outages].sort((a, b) => a.startUs - b.startUs)) {
      if (o.startUs > cursor) out.push({ startUs: cursor, endUs: o.startUs });
      cursor = Math.max(cursor, o.endUs);
    }
    if (cursor < horizonUs) out.push({ startUs: cursor, endUs: horizonUs });
    return out;
  };
  const writableThrough: Record<string, IntervalUs[]> = {};
  for (const m of members) writableThrough[m] = minus([...(memberOutages[m] ?? []), ...clusterOutages]);
  return { horizonUs, writableThrough, clusterWritable: minus(clusterOutages) };
}

/**
 * A stand-in for the etcd layer, for tests of code that needs one per scenario: the crashed hosts' members stop;
 * if that leaves fewer voters than a quorum, nothing commits from then on; if it takes the first member (taken
 * as the leader), the survivors need `electionS` to elect. Fault moments are the control-plane layer's draws.
 */
export function fakeEtcdLayer(proposal: Proposal, electionS = 1.3) {
  // The failover section passes the proposal it simulates (its canonical form); others use the one given here.
  return (scenario: import('../../src/domain/simulation/scenario.js').Scenario, p: Proposal = proposal) =>
    (request: { faultTimesUs: readonly number[] }): { timeline: EtcdServiceTimeline } => {
      const fault = scenario.faults[0]!;
      const x = request.faultTimesUs[0]!;
      const horizonUs = x + Math.round(scenario.horizonMs * 1000);
      const target = fault.type === 'partition' ? undefined : fault.target;
      const lost = p.etcdMembers.filter(
        (m) =>
          (target?.kind === 'node' && m.host === target.name) || (target?.kind === 'zone' && m.zone === target.name),
      );
      const voters = p.etcdMembers.filter((m) => !m.learner);
      const quorum = Math.floor(voters.length / 2) + 1;
      const outages: Record<string, IntervalUs[]> = Object.fromEntries(
        lost.map((m) => [m.name, [{ startUs: x, endUs: horizonUs }]]),
      );
      const cluster =
        voters.length - lost.length < quorum
          ? [{ startUs: x, endUs: horizonUs }]
          : lost.some((m) => m.name === p.etcdMembers[0]!.name)
            ? [{ startUs: x, endUs: x + s(electionS) }]
            : [];
      return {
        timeline: etcdReport(
          p.etcdMembers.map((m) => m.name),
          horizonUs,
          outages,
          cluster,
        ),
      };
    };
}
