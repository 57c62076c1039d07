/**
 * Summary truth (issue 11): over thousands of generated requests, every cause, count and duration a summary
 * states is read back and compared with the structured fields of the same answer, plans and configuration
 * never contradict each other for the same body, and every summary keeps the style a bot can quote.
 * The expected values come from the structured answer (failureDomains, writeLatency, quorum), which the plan
 * tests check by hand; here the point is that the sentences say what the fields say.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConfigAnswer, generateConfig } from '../src/domain/config/index.js';
import { hostedMessage } from '../src/domain/hosted.js';
import { normalizeProposal } from '../src/domain/normalize-proposal.js';
import { analyzePlan, type Plan } from '../src/domain/plan/index.js';
import type { ProposalInput } from '../src/domain/proposal-input.js';
import { refusedAtStartCodes } from '../src/domain/timing-rules.js';
import { checkStyle } from './support/summary-style.js';

const zoneNames = ['a', 'b', 'c', 'd', 'e'];

/** A request body: stacked, external or hosted; 1–9 voters; 1–5 zones; learners; RTT tables; odd timings. */
const proposalInput: fc.Arbitrary<ProposalInput> = fc
  .record({
    topology: fc.constantFrom('stacked' as const, 'external' as const),
    platform: fc.constantFrom('self-managed' as const, 'self-managed' as const, 'hosted' as const),
    zoneCount: fc.integer({ min: 1, max: 5 }),
    named: fc.boolean(),
    nodeZones: fc.array(fc.nat(4), { minLength: 1, maxLength: 9 }),
    memberZones: fc.array(fc.record({ zone: fc.nat(4) }), { minLength: 1, maxLength: 9 }),
    learnerMask: fc.nat(511),
    version: fc.constantFrom('3.4' as const, '3.5' as const, '3.6' as const),
    heartbeatIntervalMs: fc.oneof(fc.constant(100), fc.integer({ min: 0, max: 600 })),
    electionTimeoutMs: fc.oneof(fc.constant(1000), fc.integer({ min: 0, max: 60_000 }), fc.constant(1050)),
    diskSyncMs: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 900, noNaN: true })),
    interZoneRttMs: fc.double({ min: 0.1, max: 300, noNaN: true }),
    pairs: fc.array(
      fc.record({ from: fc.nat(4), to: fc.nat(4), rttMs: fc.double({ min: 0.1, max: 300, noNaN: true }) }),
      {
        maxLength: 4,
      },
    ),
    lease: fc.constantFrom<[number, number, number]>([15, 10, 2], [10, 10, 2], [15, 2.4, 2], [60, 40, 10]),
  })
  .map((g) => {
    const zones = zoneNames.slice(0, g.zoneCount);
    const zoneOf = (i: number) => zones[i % zones.length]!;
    const nodes =
      g.topology === 'stacked' || g.named
        ? g.nodeZones
            .slice(0, g.topology === 'stacked' ? 9 : 5)
            .map((z, i) => ({ name: `cp-${i + 1}`, zone: zoneOf(z) }))
        : Math.min(g.nodeZones.length, 5);
    const members = g.memberZones.map((m, i) => ({
      name: `etcd-${i + 1}`,
      zone: zoneOf(m.zone),
      ...((g.learnerMask >> i) & 1 && i > 0 ? { learner: true } : {}),
    }));
    const seen = new Set<string>();
    const zoneRttMs = g.pairs
      .map((p) => ({ from: zoneOf(p.from), to: zoneOf(p.to), rttMs: Math.round(p.rttMs * 10) / 10 }))
      .filter((p) => {
        const key = [p.from, p.to].sort().join('|');
        if (p.from === p.to || seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    const [leaseDurationS, renewDeadlineS, retryPeriodS] = g.lease;
    return {
      topology: g.topology,
      platform: g.platform,
      controlPlane: { nodes, zones },
      etcd: {
        ...(g.topology === 'external' ? { members } : {}),
        version: g.version,
        heartbeatIntervalMs: g.heartbeatIntervalMs,
        electionTimeoutMs: g.electionTimeoutMs,
        diskSyncMs: Math.round(g.diskSyncMs * 10) / 10,
      },
      network: { interZoneRttMs: Math.round(g.interZoneRttMs * 10) / 10, zoneRttMs },
      leaderElection: { leaseDurationS, renewDeadlineS, retryPeriodS },
    } as ProposalInput;
  });

/** Every number-bearing claim of a plan summary, checked against the plan's own fields. */
function checkPlanSummary(plan: Plan, body: ProposalInput): void {
  const s = plan.summary;
  if (plan.platform === 'hosted') {
    expect(s).toBe(hostedMessage('plan'));
    expect(plan.quorum).toBeNull();
    return;
  }
  const domains = plan.failureDomains!;
  const survivesAny = /it survives any (\d+) host failures?; (\d+) can stop it/.exec(s);
  if (survivesAny) {
    expect(Number(survivesAny[1])).toBe(domains.arbitraryHostFailures.cluster.tolerated);
    expect(Number(survivesAny[2])).toBe(domains.arbitraryHostFailures.cluster.tolerated! + 1);
  }
  const none =
    /it survives no host failure: losing (.+?) stops (etcd \(quorum lost\)|the API \(no apiserver left\)|etcd or the API)\./.exec(
      s,
    );
  if (none) {
    expect(domains.arbitraryHostFailures.cluster.tolerated).toBe(0);
    const named = none[1]!
      .replace(/^either |^any one of its \d+ hosts$/, '')
      .split(/, | or /)
      .filter(Boolean);
    for (const host of named) {
      const loss = domains.hosts.find((h) => h.host === host)!;
      expect(loss, host).toBeDefined();
      if (none[2] === 'etcd (quorum lost)') expect(loss.survives.etcdQuorum, host).toBe(false);
      if (none[2] === 'the API (no apiserver left)') {
        expect(loss.survives.etcdQuorum, host).toBe(true);
        expect(loss.survives.apiServer, host).toBe(false);
      }
    }
  }
  expect(Boolean(survivesAny) || Boolean(none) || plan.voters === 0, s).toBe(true);
  const quorum = /etcd needs (\d+) of (\d+) voters?; (none|\d+) may fail\./.exec(s);
  if (plan.voters > 0 && quorum) {
    expect(Number(quorum[1])).toBe(plan.quorum);
    expect(Number(quorum[2])).toBe(plan.voters);
    expect(quorum[3] === 'none' ? 0 : Number(quorum[3])).toBe(plan.tolerableFailures);
  }
  const quorumLost = /(?:^|\. )Losing ([^;.]+?) stops etcd \(quorum lost\)/.exec(s);
  for (const zone of quorumLost ? quorumLost[1]!.split(/, | or /) : []) {
    expect(domains.zones.find((z) => z.zone === zone)?.survives.etcdQuorum, `${zone}: ${s}`).toBe(false);
  }
  const apiLost = /(?:\. Losing |; losing )([^;.]+?) leaves no apiserver \(etcd keeps quorum\)/.exec(s);
  for (const zone of apiLost ? apiLost[1]!.split(/, | or /) : []) {
    const loss = domains.zones.find((z) => z.zone === zone)!;
    expect(loss.survives.etcdQuorum, `${zone}: ${s}`).toBe(true);
    expect(loss.survives.apiServer && loss.survives.controllerLeaders, `${zone}: ${s}`).toBe(false);
  }
  if (s.includes('It survives the loss of any one zone.')) {
    for (const loss of domains.zones.filter((z) => z.hosts.length > 0)) expect(loss.survives.etcdQuorum).toBe(true);
  }
  const write =
    /A write through the API takes at least ([\d.]+) ms(?: \(([\d.]+) ms of it apiserver to leader\))?/.exec(s);
  if (write) {
    expect(Number(write[1])).toBe(plan.writeLatency!.throughApiServer!.bestMs);
    if (write[2]) expect(Number(write[2])).toBe(plan.writeLatency!.throughApiServer!.bestHopMs);
  }
  const refused = plan.findings.some((f) => refusedAtStartCodes.has(f.code));
  expect(s.includes('As written it would not start'), s).toBe(refused);
  // Names: only zones and hosts the body gave (the default zone is never named when the user named none).
  if (!body.controlPlane.zones?.includes('zone-a')) expect(s).not.toContain('zone-a');
}

/** Plans and configuration of one body agree: quorum, tolerance, startable, applicability. */
function checkAgreement(plan: Plan, config: ConfigAnswer): void {
  expect(config.voters).toBe(plan.voters);
  if (plan.platform === 'hosted') {
    expect(config.etcd).toBeNull();
    expect(config.summary).toBe(hostedMessage('config'));
    return;
  }
  expect(config.quorum).toBe(plan.quorum);
  expect(config.tolerableFailures).toBe(plan.tolerableFailures);
  const refused = plan.findings.some((f) => refusedAtStartCodes.has(f.code));
  expect(config.startable).toBe(!refused && plan.voters > 0);
  expect(config.summary.includes('would not start')).toBe(!config.startable);
  // The same timing findings in both.
  const timing = (codes: string[]) => codes.filter((c) => c.startsWith('ETCD_') || c.startsWith('LEADER_')).sort();
  expect(timing(config.findings.map((f) => f.code))).toEqual(timing(plan.findings.map((f) => f.code)));
  if (plan.voters > 0) {
    const quorum = plan.summary.match(/etcd needs \d+ of \d+ voters?; (none|\d+) may fail\./)?.[0];
    if (quorum) expect(config.summary).toContain(quorum);
  }
}

describe('plan and configuration summaries say what their fields say', () => {
  it('for 2,000 generated requests', () => {
    let answered = 0;
    fc.assert(
      fc.property(proposalInput, (body) => {
        const normalized = normalizeProposal(body);
        if (!normalized.ok) return;
        answered++;
        const plan = analyzePlan(normalized.proposal);
        const config = generateConfig(normalized.proposal);
        checkPlanSummary(plan, body);
        checkAgreement(plan, config);
        checkStyle(plan.summary);
        checkStyle(config.summary);
      }),
      { numRuns: 2_200, seed: 11 },
    );
    expect(answered).toBeGreaterThanOrEqual(2_000);
  }, 120_000);
});
