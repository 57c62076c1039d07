import { describe, expect, it } from 'vitest';
import { maxVoterRttMs, timingFindings, timingsStartable } from '../src/domain/timing-rules.js';
import { makeProposal, type FixtureOptions } from './fixtures/proposals.js';

// Expected texts are etcd's and client-go's own, written out here from the upstream files the claims ledger
// names (docs/reference/ledger.md: etcd-flag-validation, client-go-leader-election); the etcd 3.4 ones are also
// checked against the etcd 3.4 binary's "error verifying flags" output in test/node/etcd-cluster.test.ts.

/** Codes of the timing findings; the cross-region caveat (tested on its own below) left out. */
function codes(options: FixtureOptions) {
  return timingFindings(makeProposal(options))
    .map((f) => f.code)
    .filter((code) => code !== 'ETCD_CROSS_REGION_RTT');
}

function only(options: FixtureOptions, code: string) {
  const matching = timingFindings(makeProposal(options)).filter((f) => f.code === code);
  expect(matching).toHaveLength(1);
  return matching[0]!;
}

describe('etcd flag validation (server/embed/config.go)', () => {
  it('accepts the defaults (100 ms / 1000 ms) on a 2 ms network with no finding at all', () => {
    expect(timingFindings(makeProposal())).toEqual([]);
  });

  it('accepts election = 5 × heartbeat exactly (100 → 500): etcd refuses only 5·TickMs > ElectionMs', () => {
    expect(codes({ heartbeatIntervalMs: 100, electionTimeoutMs: 500 })).not.toContain(
      'ETCD_ELECTION_TIMEOUT_BELOW_5X_HEARTBEAT',
    );
  });

  it("refuses 499 ms against 100 ms with etcd's exact text, pointing at both fields", () => {
    const finding = only(
      { heartbeatIntervalMs: 100, electionTimeoutMs: 499 },
      'ETCD_ELECTION_TIMEOUT_BELOW_5X_HEARTBEAT',
    );
    expect(finding.severity).toBe('error');
    expect(finding.message).toContain(
      '--election-timeout[499ms] should be at least as 5 times as --heartbeat-interval[100ms]',
    );
    expect(finding.pointers).toEqual(['/etcd/electionTimeoutMs', '/etcd/heartbeatIntervalMs']);
    expect(finding.source?.url).toContain('etcd');
  });

  it('refuses a zero heartbeat with "must be >0 (set to 0ms)" and nothing about the ratio', () => {
    const findings = timingFindings(makeProposal({ heartbeatIntervalMs: 0 }));
    expect(findings.map((f) => f.code)).toEqual(['ETCD_HEARTBEAT_NOT_POSITIVE']);
    expect(findings[0]!.message).toContain('--heartbeat-interval must be >0 (set to 0ms)');
    expect(findings[0]!.pointers).toEqual(['/etcd/heartbeatIntervalMs']);
  });

  it('refuses a zero election timeout with "must be >0 (set to 0ms)"', () => {
    const finding = only({ electionTimeoutMs: 0 }, 'ETCD_ELECTION_TIMEOUT_NOT_POSITIVE');
    expect(finding.message).toContain('--election-timeout must be >0 (set to 0ms)');
    expect(finding.pointers).toEqual(['/etcd/electionTimeoutMs']);
  });

  it("accepts 50000 ms and refuses 50001 ms with etcd's text", () => {
    expect(codes({ electionTimeoutMs: 50_000 })).not.toContain('ETCD_ELECTION_TIMEOUT_TOO_LONG');
    const finding = only({ electionTimeoutMs: 50_001 }, 'ETCD_ELECTION_TIMEOUT_TOO_LONG');
    expect(finding.message).toContain('--election-timeout[50001ms] is too long, and should be set less than 50000ms');
    expect(finding.severity).toBe('error');
  });
});

describe('client-go leader election validation (NewLeaderElector)', () => {
  it('accepts 15 s / 10 s / 2 s', () => {
    expect(timingFindings(makeProposal())).toEqual([]);
  });

  it('refuses lease = renew deadline (must be strictly greater)', () => {
    const finding = only({ leaseDurationS: 10, renewDeadlineS: 10 }, 'LEADER_ELECTION_LEASE_NOT_ABOVE_RENEW_DEADLINE');
    expect(finding.message).toContain('leaseDuration must be greater than renewDeadline');
    expect(finding.pointers).toEqual(['/leaderElection/leaseDurationS', '/leaderElection/renewDeadlineS']);
  });

  // 1.2 × 2 s: float64(1.2) · 2e9 rounds to exactly 2.4e9 ns (the error is below half an ulp), so 2.4 s is
  // refused and anything above it passes.
  it('refuses renew = 1.2 × retry exactly (2 s → 2.4 s) and accepts 2.401 s', () => {
    const finding = only(
      { renewDeadlineS: 2.4, retryPeriodS: 2 },
      'LEADER_ELECTION_RENEW_DEADLINE_NOT_ABOVE_JITTERED_RETRY',
    );
    expect(finding.message).toContain('renewDeadline must be greater than retryPeriod*JitterFactor');
    expect(finding.pointers).toEqual(['/leaderElection/renewDeadlineS', '/leaderElection/retryPeriodS']);
    expect(codes({ renewDeadlineS: 2.401, retryPeriodS: 2 })).toEqual([]);
  });

  it('refuses renew 6 s with retry 5 s (6 = 1.2 × 5) and accepts 7 s', () => {
    expect(codes({ renewDeadlineS: 6, retryPeriodS: 5 })).toEqual([
      'LEADER_ELECTION_RENEW_DEADLINE_NOT_ABOVE_JITTERED_RETRY',
    ]);
    expect(codes({ renewDeadlineS: 7, retryPeriodS: 5 })).toEqual([]);
  });

  it("refuses a zero retry period with client-go's text", () => {
    const finding = only({ retryPeriodS: 0 }, 'LEADER_ELECTION_RETRY_PERIOD_NOT_POSITIVE');
    expect(finding.message).toContain('retryPeriod must be greater than zero');
  });

  it('refuses a zero lease: both "greater than renewDeadline" and "greater than zero" hold', () => {
    const found = codes({ leaseDurationS: 0 });
    expect(found).toContain('LEADER_ELECTION_LEASE_NOT_ABOVE_RENEW_DEADLINE');
    expect(found).toContain('LEADER_ELECTION_LEASE_DURATION_NOT_POSITIVE');
  });
});

describe('per-member timing overrides', () => {
  it('reports a member with a different heartbeat as an error, pointing at both sources', () => {
    const proposal = makeProposal();
    proposal.etcdMembers[2]!.heartbeatIntervalMs = 200;
    const findings = timingFindings(proposal);
    const mismatch = findings.filter((f) => f.code === 'ETCD_TIMING_MISMATCH');
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]!.severity).toBe('error');
    expect(mismatch[0]!.message).toContain('--heartbeat-interval');
    expect(mismatch[0]!.message).toContain('cp-3');
    expect(mismatch[0]!.pointers).toEqual(['/etcd/heartbeatIntervalMs', '/controlPlane/nodes/2/heartbeatIntervalMs']);
    // It still starts: a mismatch is not something etcd checks.
    expect(timingsStartable(findings)).toBe(true);
  });

  it("validates a member override with etcd's rule and points at that member's field", () => {
    const proposal = makeProposal({ topology: 'external', members: 3 });
    proposal.etcdMembers[1]!.electionTimeoutMs = 400;
    const findings = timingFindings(proposal);
    const refused = findings.find((f) => f.code === 'ETCD_ELECTION_TIMEOUT_BELOW_5X_HEARTBEAT')!;
    expect(refused.message).toContain(
      '--election-timeout[400ms] should be at least as 5 times as --heartbeat-interval[100ms]',
    );
    expect(refused.pointers).toEqual(['/etcd/members/1/electionTimeoutMs', '/etcd/heartbeatIntervalMs']);
    expect(timingsStartable(findings)).toBe(false);
  });

  it('equal overrides on every member are no mismatch', () => {
    const proposal = makeProposal();
    for (const member of proposal.etcdMembers) member.heartbeatIntervalMs = 100;
    expect(timingFindings(proposal).map((f) => f.code)).not.toContain('ETCD_TIMING_MISMATCH');
  });
});

describe('etcd tuning guide against the largest voter RTT', () => {
  it('warns when the election timeout is below 10 × RTT (150 ms across zones → 1500 ms)', () => {
    const finding = only({ interZoneRttMs: 150 }, 'ETCD_ELECTION_TIMEOUT_BELOW_10X_RTT');
    expect(finding.severity).toBe('warning');
    expect(finding.pointers).toEqual(['/etcd/electionTimeoutMs']);
    expect(codes({ interZoneRttMs: 150, electionTimeoutMs: 1500 })).toEqual([]);
  });

  it('uses the zone-pair matrix: only the a–c pair is far', () => {
    const proposal = makeProposal({ zonePairRttMs: { 'zone-a': { 'zone-c': 200 } } });
    expect(maxVoterRttMs(proposal)).toBe(200);
  });

  it('warns when the heartbeat is below 0.5 × RTT (30 ms against 150 ms → 75 ms)', () => {
    expect(codes({ interZoneRttMs: 150, heartbeatIntervalMs: 30, electionTimeoutMs: 1500 })).toEqual([
      'ETCD_HEARTBEAT_BELOW_RTT_GUIDANCE',
    ]);
    expect(codes({ interZoneRttMs: 150, heartbeatIntervalMs: 75, electionTimeoutMs: 1500 })).toEqual([]);
  });

  it('warns when the heartbeat is above both 1.5 × RTT and the 100 ms default', () => {
    // 150 ms RTT → up to 225 ms is within guidance.
    expect(codes({ interZoneRttMs: 150, heartbeatIntervalMs: 225, electionTimeoutMs: 2250 })).toEqual([]);
    expect(codes({ interZoneRttMs: 150, heartbeatIntervalMs: 226, electionTimeoutMs: 2260 })).toEqual([
      'ETCD_HEARTBEAT_ABOVE_RTT_GUIDANCE',
    ]);
    // On a LAN the default 100 ms is fine even though it is far above 1.5 × 2 ms.
    expect(codes({ heartbeatIntervalMs: 100 })).toEqual([]);
    expect(codes({ heartbeatIntervalMs: 101, electionTimeoutMs: 1010 })).toEqual(['ETCD_HEARTBEAT_ABOVE_RTT_GUIDANCE']);
  });

  it('warns that no valid election timeout suits an RTT above 5 s (10 × RTT > 50 s)', () => {
    const found = codes({ interZoneRttMs: 6000, heartbeatIntervalMs: 5000, electionTimeoutMs: 50_000 });
    expect(found).toEqual(['ETCD_RTT_BEYOND_ELECTION_TIMEOUT_CEILING']);
  });

  it('ignores learners: a far learner does not set the voter RTT', () => {
    const zones = ['near', 'near', 'far'];
    expect(codes({ zones, interZoneRttMs: 150, learners: [2] })).toEqual([]);
    expect(codes({ zones, interZoneRttMs: 150 })).toEqual(['ETCD_ELECTION_TIMEOUT_BELOW_10X_RTT']);
  });

  it('has no RTT to judge with one voter', () => {
    expect(maxVoterRttMs(makeProposal({ nodes: 1 }))).toBeUndefined();
    expect(codes({ nodes: 1, heartbeatIntervalMs: 101, electionTimeoutMs: 1010 })).toEqual([]);
  });
});

describe('startable and platforms', () => {
  it('is startable with warnings only, not with a refused flag', () => {
    expect(timingsStartable(timingFindings(makeProposal({ interZoneRttMs: 150 })))).toBe(true);
    expect(timingsStartable(timingFindings(makeProposal({ electionTimeoutMs: 499 })))).toBe(false);
    expect(timingsStartable(timingFindings(makeProposal({ renewDeadlineS: 15 })))).toBe(false);
  });

  it('says nothing for a hosted control plane, whose flags the provider sets', () => {
    expect(timingFindings(makeProposal({ platform: 'hosted', electionTimeoutMs: 100 }))).toEqual([]);
  });
});

describe('pointers under a base', () => {
  it('prefixes cluster-wide pointers for a nested proposal', () => {
    const finding = timingFindings(makeProposal({ electionTimeoutMs: 400 }), '/cluster')[0]!;
    expect(finding.pointers).toEqual(['/cluster/etcd/electionTimeoutMs', '/cluster/etcd/heartbeatIntervalMs']);
    const lease = timingFindings(makeProposal({ leaseDurationS: 10 }), '/cluster')[0]!;
    expect(lease.pointers).toEqual([
      '/cluster/leaderElection/leaseDurationS',
      '/cluster/leaderElection/renewDeadlineS',
    ]);
  });
});

describe('the checks an etcd operator expects (issue 11, point 4)', () => {
  it('warns that 1050 ms with a 100 ms heartbeat acts as 1000 ms (ElectionTicks = int(1050 / 100) = 10)', () => {
    const finding = only({ electionTimeoutMs: 1050 }, 'ETCD_ELECTION_TIMEOUT_NOT_TICK_MULTIPLE');
    expect(finding.severity).toBe('warning');
    expect(finding.message).toContain('acts as 1000 ms');
    expect(finding.pointers).toEqual(['/etcd/electionTimeoutMs', '/etcd/heartbeatIntervalMs']);
    expect(codes({ electionTimeoutMs: 1100 })).not.toContain('ETCD_ELECTION_TIMEOUT_NOT_TICK_MULTIPLE');
  });

  it('warns about an 800 ms disk sync against the FAQ guidance of WAL fsync p99 below 10 ms, and not about 9 ms', () => {
    const finding = only({ diskSyncMs: 800 }, 'ETCD_DISK_SYNC_ABOVE_GUIDANCE');
    expect(finding.pointers).toEqual(['/etcd/diskSyncMs']);
    expect(finding.source?.url).toContain('etcd.io/docs/v3.5/faq');
    expect(codes({ diskSyncMs: 9 })).toEqual([]);
    expect(codes({ diskSyncMs: 10 })).toEqual(['ETCD_DISK_SYNC_ABOVE_GUIDANCE']);
  });

  it('adds a cross-region caveat from a 50 ms voter round trip (a typical US round trip), not below', () => {
    const far = timingFindings(makeProposal({ interZoneRttMs: 50, electionTimeoutMs: 1000 })).map((f) => f.code);
    expect(far).toContain('ETCD_CROSS_REGION_RTT');
    const near = timingFindings(makeProposal({ interZoneRttMs: 49 })).map((f) => f.code);
    expect(near).not.toContain('ETCD_CROSS_REGION_RTT');
  });
});
