/**
 * One test per rule of etcd's Raft election as the claims ledger states it (docs/reference/ledger.md: raft-election-timing), in the manner of etcd-io/raft's
 * raft_paper_test.go. Expected values are worked out by hand from the rules (written beside each test), or by
 * a naive recomputation of the tick rules, never copied from the engine's output.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Random } from '../random.js';
import { plainMembers, uniformNetwork, type ElectionConfig, type SimMember } from './election-config.js';
import { InvariantViolation, runTrial, type TrialResult } from './election-engine.js';
import { runMonteCarlo } from './monte-carlo.js';
import type { Fault, Scenario } from './scenario.js';
import type { TimelineEntry } from './timeline.js';

/** etcd defaults: 100 ms ticks, ET = 10; 2 ms RTT; jitter as given; 1 ms fsync. */
function etcdConfig(
  options: {
    members?: number;
    learners?: number;
    preVote?: boolean;
    jitter?: number;
    start?: 'steady' | 'bootstrap';
    members2?: SimMember[];
    tickAdvance?: boolean;
  } = {},
): ElectionConfig {
  const members = options.members2 ?? plainMembers(options.members ?? 5, options.learners ?? 0);
  return {
    members,
    timing: {
      model: 'etcd',
      heartbeatIntervalMs: 100,
      electionTimeoutMs: 1000,
      preVote: options.preVote ?? true,
      initialElectionTickAdvance: options.tickAdvance ?? true,
    },
    network: uniformNetwork(members.length, 2, { diskSyncMs: 1, jitterFraction: options.jitter ?? 0 }),
    start: options.start ?? 'steady',
  };
}

const crashLeader = (withinMs = 100, horizonMs = 5000): Scenario => ({
  faults: [{ type: 'crash', target: { kind: 'etcd-leader' }, at: { atMs: 0, withinMs } }],
  horizonMs,
});

function trial(config: ElectionConfig, scenario: Scenario, seed: number): TrialResult {
  return runTrial(config, scenario, Random.derive(seed, 0), {
    recordTimeline: true,
    recordService: true,
    seed,
    trialIndex: 0,
  });
}

const entries = (r: TrialResult, filter: (e: TimelineEntry) => boolean) => (r.timeline ?? []).filter(filter);

/** Two-sample Kolmogorov–Smirnov statistic. */
function ksStatistic(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

describe('etcd election timing (ticks)', () => {
  it('the first campaign after a crash follows the tick rules: R ∈ [ET, 2ET−1] ticks after the last heartbeat, ticks on independent phases', () => {
    // Naive model from the rules alone (no jitter): the leader sent its last heartbeat a ~ U[0, 100) ms
    // before the crash (the crash is uniform over one heartbeat interval, so uniform against the tick grid);
    // it reached follower i after d = 1 ms; follower i's next tick comes u_i ~ U(0, 100] ms after that; it
    // campaigns on its R_i-th tick, R_i uniform in 10..19. Time from the crash = d + u_i + (R_i − 1)·100 − a,
    // and the first campaign is the minimum over the four survivors.
    const naive = new Random(99);
    const expected: number[] = [];
    for (let t = 0; t < 1500; t++) {
      const a = naive.floatBetween(0, 100);
      let first = Infinity;
      for (let f = 0; f < 4; f++)
        first = Math.min(first, 1 + (100 - naive.floatBetween(0, 100)) + (naive.intBetween(10, 19) - 1) * 100 - a);
      expected.push(first);
    }
    const config = etcdConfig({ preVote: true });
    const observed: number[] = [];
    for (let t = 0; t < 1500; t++) {
      const r = runTrial(config, crashLeader(100, 2500), Random.derive(12345, t), { recordTimeline: true });
      const crash = entries(r, (e) => e.kind === 'crashed')[0]!;
      const campaign = entries(r, (e) => e.kind === 'election-timeout')[0]!;
      observed.push((campaign.timeUs - crash.timeUs) / 1000);
    }
    // Hard bounds: (10 − 1)·100 + 1 − 100 = 801 ms at the earliest, 1 + 100 + 1800 = 1901 ms at the latest.
    expect(Math.min(...observed)).toBeGreaterThanOrEqual(801);
    expect(Math.max(...observed)).toBeLessThanOrEqual(1901);
    // KS at α = 0.001 for 1500 vs 1500: D < 1.95·sqrt(2/1500) ≈ 0.071.
    expect(ksStatistic(observed, expected)).toBeLessThan(0.071);
  });

  it('the randomized timeout is R ∈ [ET, 2ET−1] ticks, uniform, and a pre-candidate keeps it; a candidate redraws it', () => {
    // Two members, the leader crashed: the survivor can never win (it needs both votes), so it times out
    // again and again. Becoming pre-candidate is not a reset, so with pre-vote the gap between its campaigns is
    // always the same R·100 ms; without pre-vote each becomeCandidate redraws R.
    const counts = new Array<number>(20).fill(0);
    for (let t = 0; t < 2000; t++) {
      const r = runTrial(etcdConfig({ members: 2, preVote: true }), crashLeader(100, 6000), Random.derive(777, t), {
        recordTimeline: true,
      });
      const times = entries(r, (e) => e.kind === 'election-timeout').map((e) => e.timeUs);
      expect(times.length).toBeGreaterThanOrEqual(3);
      const gap = times[1]! - times[0]!;
      expect(gap % 100_000).toBe(0);
      for (let k = 2; k < times.length; k++) expect(times[k]! - times[k - 1]!).toBe(gap);
      counts[gap / 100_000]!++;
    }
    for (let r = 0; r < 10; r++) expect(counts[r]).toBe(0);
    // Chi-square over R = 10..19 (9 degrees of freedom): < 27.88 at α = 0.001.
    const chi = counts.slice(10).reduce((sum, c) => sum + (c - 200) ** 2 / 200, 0);
    expect(chi).toBeLessThan(27.88);

    let varied = false;
    for (let t = 0; t < 20; t++) {
      const r = runTrial(etcdConfig({ members: 2, preVote: false }), crashLeader(100, 8000), Random.derive(778, t), {
        recordTimeline: true,
      });
      const times = entries(r, (e) => e.kind === 'election-timeout').map((e) => e.timeUs);
      const gaps = times.slice(1).map((v, k) => v - times[k]!);
      for (const g of gaps) {
        expect(g % 100_000).toBe(0);
        expect(g).toBeGreaterThanOrEqual(1_000_000);
        expect(g).toBeLessThanOrEqual(1_900_000);
      }
      if (new Set(gaps).size > 1) varied = true;
    }
    expect(varied).toBe(true);
  });

  it('heartbeats zero elapsed ticks: with a live leader nobody campaigns, for any seed', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = trial(etcdConfig({ jitter: 0.1 }), { faults: [], horizonMs: 10_000 }, seed);
      expect(entries(r, (e) => e.kind === 'election-timeout')).toEqual([]);
    }
  });

  it('a single member elects itself on its first ticks (tick advance ET−1) and a fresh 3-member cluster campaigns within 0.1–1.1 s', () => {
    // Single member: ET−1 = 9 ticks advanced at start; it campaigns at tick R−9 ∈ [1, 10] → before 1 s.
    for (let seed = 1; seed <= 10; seed++) {
      const r = trial(
        etcdConfig({ members: 1, start: 'bootstrap', preVote: false }),
        { faults: [], horizonMs: 2000 },
        seed,
      );
      expect(r.metrics.newLeader).toBe('m1');
      expect(r.metrics.newLeaderAfterUs!).toBeLessThan(1_000_000);
    }
    // Three members: at the 50 ms poll both peers are up, so each advances ET−2 = 8 ticks; a member's first
    // campaign is its (R−8)-th tick, at phase + (R−9)·100 ms ∈ [100, 1100) ms.
    // Without the advance it is the R-th tick: phase + (R−1)·100 ≥ 900 ms.
    for (let seed = 1; seed <= 30; seed++) {
      const fast = trial(etcdConfig({ members: 3, start: 'bootstrap' }), { faults: [], horizonMs: 3000 }, seed);
      const t = entries(fast, (e) => e.kind === 'election-timeout')[0]!.timeUs;
      expect(t).toBeGreaterThanOrEqual(100_000);
      expect(t).toBeLessThan(1_100_000);
      const slow = trial(
        etcdConfig({ members: 3, start: 'bootstrap', tickAdvance: false }),
        { faults: [], horizonMs: 3000 },
        seed,
      );
      expect(entries(slow, (e) => e.kind === 'election-timeout')[0]!.timeUs).toBeGreaterThanOrEqual(900_000);
    }
  });

  it('a two-member cluster never advances ticks (etcd waits for more than one active peer)', () => {
    const r = trial(etcdConfig({ members: 2, start: 'bootstrap' }), { faults: [], horizonMs: 3000 }, 4);
    expect(entries(r, (e) => e.kind === 'tick-advance')).toEqual([]);
    expect(entries(r, (e) => e.kind === 'election-timeout')[0]!.timeUs).toBeGreaterThanOrEqual(900_000);
  });
});

describe('pre-vote', () => {
  const isolateM3: Scenario = {
    faults: [{ type: 'partition', groups: [['m3']], at: { atMs: 0 }, healAfterMs: 5000 }],
    horizonMs: 3000,
  };

  it('keeps a partitioned member from bumping its term, so the heal disrupts nothing', () => {
    const r = trial(etcdConfig({ members: 3, preVote: true }), isolateM3, 1);
    // m3 campaigns (pre-vote) every 1–2 s but never wins a pre-vote majority, so its term stays 2.
    expect(entries(r, (e) => e.member === 'm3' && e.kind === 'became-pre-candidate').length).toBeGreaterThanOrEqual(2);
    expect(entries(r, (e) => e.term > 2)).toEqual([]);
    expect(r.metrics.newLeader).toBeNull();
    expect(r.metrics.unavailableUs).toBe(0);
  });

  it('without pre-vote (etcd 3.4) the isolated member bumps its term and the heal deposes the leader', () => {
    const r = trial(etcdConfig({ members: 3, preVote: false }), isolateM3, 1);
    expect(entries(r, (e) => e.member === 'm3' && e.kind === 'became-candidate').length).toBeGreaterThanOrEqual(2);
    // After the heal the leader's heartbeat reaches m3 at a lower term; m3 answers with its term and the
    // leader steps down to it (Step: m.Term < r.Term with CheckQuorum → MsgAppResp carrying our term).
    const stepDown = entries(r, (e) => e.member === 'm1' && e.kind === 'stepped-down' && e.timeUs >= 5_000_000);
    expect(stepDown.length).toBe(1);
    expect(r.metrics.newLeaderTerm!).toBeGreaterThan(3);
  });

  it("a pre-vote rejection carries the rejecter's term, and a pre-candidate behind it steps down to that term", () => {
    // Fresh cluster where m3 starts at term 5 (its log's last term) and m1, m2 at term 1. A pre-vote from
    // m1 or m2 (for term 2) reaches m3 with a term below its own: m3 rejects with term 5, and the rejected
    // pre-candidate becomes a follower at term 5. Whoever leads at the end leads at term ≥ 6.
    const members: SimMember[] = [
      { name: 'm1', zone: 'a', host: 'm1', learner: false, lastLogTerm: 1, lastLogIndex: 3 },
      { name: 'm2', zone: 'a', host: 'm2', learner: false, lastLogTerm: 1, lastLogIndex: 3 },
      { name: 'm3', zone: 'a', host: 'm3', learner: false, lastLogTerm: 5, lastLogIndex: 3 },
    ];
    let sawStepToFive = false;
    for (let seed = 1; seed <= 20; seed++) {
      const r = trial(
        etcdConfig({ members2: members, start: 'bootstrap', preVote: true }),
        { faults: [], horizonMs: 6000 },
        seed,
      );
      const rejections = entries(
        r,
        (e) => e.member === 'm3' && e.kind === 'pre-vote-rejected' && (e.detail ?? '').startsWith('stale term'),
      );
      for (const rej of rejections) {
        const follow = entries(
          r,
          (e) => e.member === rej.peer && e.kind === 'became-follower' && e.term === 5 && e.timeUs > rej.timeUs,
        );
        if (follow.length > 0) sawStepToFive = true;
      }
      const leaders = entries(r, (e) => e.kind === 'became-leader');
      expect(leaders.at(-1)!.term).toBeGreaterThanOrEqual(6);
    }
    expect(sawStepToFive).toBe(true);
  });
});

describe('check-quorum', () => {
  it('a leader cut off in a minority steps down 1–2 election timeouts after the cut', () => {
    // The check runs every ET = 10 ticks; the first check after the cut still counts answers from before it
    // (unless none came since the previous check, at most one round trip earlier), the second fails.
    const delays: number[] = [];
    for (let seed = 1; seed <= 60; seed++) {
      const r = trial(
        etcdConfig({ jitter: 0.1 }),
        { faults: [{ type: 'partition', groups: [['m1', 'm2']], at: { atMs: 0, withinMs: 1000 } }], horizonMs: 2500 },
        seed,
      );
      const cut = r.faults[0]!.timeUs;
      const down = entries(r, (e) => e.member === 'm1' && e.kind === 'stepped-down')[0]!;
      expect(down.detail).toMatch(/^check-quorum: heard from 2 of 5 voters/);
      delays.push((down.timeUs - cut) / 1000);
    }
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1000 - 3);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2000);
    // Both ends of the window occur.
    expect(Math.min(...delays)).toBeLessThan(1300);
    expect(Math.max(...delays)).toBeGreaterThan(1700);
  });
});

describe('leader lease', () => {
  // m3 can send but hears nobody: the others keep hearing from the leader m1.
  const deafM3: Scenario = {
    faults: [{ type: 'partition', groups: [['m1', 'm2', 'm4', 'm5'], ['m3']], oneWay: true, at: { atMs: 0 } }],
    horizonMs: 6000,
  };

  it("members that heard from the leader within ET ignore a disrupting candidate's higher-term votes", () => {
    const r = trial(etcdConfig({ preVote: false }), deafM3, 3);
    expect(entries(r, (e) => e.member === 'm3' && e.kind === 'became-candidate').length).toBeGreaterThanOrEqual(2);
    const ignored = entries(r, (e) => e.member === 'm2' && e.kind === 'vote-ignored' && e.peer === 'm3');
    expect(ignored.length).toBeGreaterThanOrEqual(2);
    expect(ignored[0]!.detail).toMatch(/lease/);
    // Nobody but m3 ever leaves term 2, and m1 leads throughout.
    expect(entries(r, (e) => e.member !== 'm3' && e.member !== '-' && e.term !== 2)).toEqual([]);
    expect(r.metrics.unavailableUs).toBe(0);
  });

  it("without the lease (classic Raft) the same candidate bumps everyone's term and deposes the leader", () => {
    const config: ElectionConfig = {
      ...etcdConfig({ preVote: false }),
      timing: {
        model: 'classic',
        electionTimeoutMinMs: 1000,
        electionTimeoutMaxMs: 2000,
        heartbeatIntervalMs: 100,
        preVote: false,
        checkQuorum: false,
        leaderLease: false,
      },
    };
    const r = trial(config, deafM3, 3);
    expect(entries(r, (e) => e.member === 'm1' && e.kind === 'stepped-down').length).toBeGreaterThanOrEqual(1);
  });
});

describe('votes', () => {
  it('log up-to-dateness: a candidate with a stale log never wins, and is rejected with the reason', () => {
    // m1 leads; at the crash m2 lacks the last entry (index 9 vs 10). The only other survivor, m3, refuses to
    // vote for m2, so with m1 dead m2 can never reach 2 votes: m3 must be the new leader in every trial.
    const members: SimMember[] = plainMembers(3).map((m) => ({
      ...m,
      lastLogTerm: 2,
      lastLogIndex: m.name === 'm2' ? 9 : 10,
    }));
    let sawRejection = false;
    for (let seed = 1; seed <= 40; seed++) {
      const r = trial(etcdConfig({ members2: members, preVote: true, jitter: 0.1 }), crashLeader(100, 8000), seed);
      expect(r.metrics.newLeader).toBe('m3');
      const rej = entries(r, (e) => e.member === 'm3' && e.kind === 'pre-vote-rejected' && e.peer === 'm2');
      if (rej.length > 0) {
        expect(rej[0]!.detail).toBe("candidate's log (term 2, index 9) is behind ours (term 2, index 10)");
        sawRejection = true;
      }
    }
    expect(sawRejection).toBe(true);
  });

  it('a member votes once per term: a second candidate of the same term is rejected', () => {
    // Without pre-vote and with ties forced by identical timeouts (ET = 1 tick range is [1, 1]), several
    // members become candidates in the same term and each refuses the others ("already voted for itself").
    const config: ElectionConfig = {
      ...etcdConfig({ members: 3, preVote: false }),
      timing: {
        model: 'etcd',
        heartbeatIntervalMs: 100,
        electionTimeoutMs: 100,
        preVote: false,
        initialElectionTickAdvance: true,
      },
    };
    let sawDoubleRefusal = false;
    for (let seed = 1; seed <= 30; seed++) {
      const r = trial(config, crashLeader(100, 3000), seed);
      for (const e of entries(r, (x) => x.kind === 'vote-rejected')) {
        if (/^already voted for m\d in term \d+$/.test(e.detail ?? '')) sawDoubleRefusal = true;
      }
    }
    expect(sawDoubleRefusal).toBe(true);
  });

  it('learners never vote, never campaign and never lead, but learn the leader', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = trial(
        etcdConfig({ members: 3, learners: 1, jitter: 0.1 }),
        {
          ...crashLeader(100, 4000),
          faults: [
            ...crashLeader().faults,
            { type: 'partition', groups: [['m4']], at: { atMs: 0 }, healAfterMs: 3000 },
          ],
        },
        seed,
      );
      const learnerActs = entries(
        r,
        (e) =>
          e.member === 'm4' &&
          [
            'vote-granted',
            'pre-vote-granted',
            'election-timeout',
            'became-pre-candidate',
            'became-candidate',
            'became-leader',
          ].includes(e.kind),
      );
      expect(learnerActs).toEqual([]);
      // Vote requests go to voters only: m4 is never asked.
      expect(entries(r, (e) => e.peer === 'm4' && e.kind.includes('vote'))).toEqual([]);
      expect(r.metrics.newLeader).not.toBe('m4');
      expect(r.metrics.allKnowAfterUs).not.toBeNull();
    }
  });
});

describe('leadership transfer on a graceful stop', () => {
  it('moves leadership to the longest-connected voter at once, without pre-vote and despite the lease', () => {
    // All connected since the start → the first voter after m1: m2. Shutdown handling 0.5 ms (constant: no
    // spread in this config), TimeoutNow 1 ms, candidate fsync 1 ms, MsgVote 1 ms, voter fsync 1 ms,
    // MsgVoteResp 1 ms: elected 5.5 ms after the stop (jitter ≤ 0.1 ms a hop).
    for (let seed = 1; seed <= 10; seed++) {
      const r = trial(
        etcdConfig({ preVote: true, jitter: 0.1 }),
        {
          faults: [{ type: 'stop', target: { kind: 'etcd-leader' }, at: { atMs: 0, withinMs: 100 } }],
          horizonMs: 1000,
        },
        seed,
      );
      const stopAt = r.faults[0]!.timeUs;
      expect(r.metrics.newLeader).toBe('m2');
      expect(r.metrics.newLeaderAfterUs!).toBeGreaterThanOrEqual(5500);
      expect(r.metrics.newLeaderAfterUs!).toBeLessThanOrEqual(5800);
      expect(entries(r, (e) => e.kind === 'became-pre-candidate')).toEqual([]);
      expect(entries(r, (e) => e.kind === 'vote-ignored')).toEqual([]);
      // The old leader exits at its first MoveLeader poll (every tick from the handover's start) after it sees
      // m2 lead.
      const stopped = entries(r, (e) => e.member === 'm1' && e.kind === 'stopped')[0]!;
      expect(stopped.timeUs - stopAt).toBe(500 + 100_000);
    }
  });

  it('a stopped follower just goes away (no transfer)', () => {
    const r = trial(
      etcdConfig(),
      { faults: [{ type: 'stop', target: { kind: 'member', name: 'm4' }, at: { atMs: 10 } }], horizonMs: 3000 },
      1,
    );
    expect(entries(r, (e) => e.kind === 'transfer-started')).toEqual([]);
    expect(r.metrics.unavailableUs).toBe(0);
  });
});

describe('faults', () => {
  it('a zone outage takes every member in the zone; the rest elect if they hold a quorum', () => {
    const members: SimMember[] = plainMembers(5).map((m, i) => ({ ...m, zone: ['a', 'a', 'b', 'b', 'c'][i]! }));
    const r = trial(
      etcdConfig({ members2: members }),
      { faults: [{ type: 'crash', target: { kind: 'zone', name: 'a' }, at: { atMs: 0 } }], horizonMs: 5000 },
      1,
    );
    expect(r.faults[0]!.members).toEqual(['m1', 'm2']);
    expect(['m3', 'm4', 'm5']).toContain(r.metrics.newLeader);
  });

  it('restart after a delay: the member comes back as a follower and learns the leader', () => {
    const r = trial(
      etcdConfig(),
      {
        faults: [{ type: 'crash', target: { kind: 'etcd-leader' }, at: { atMs: 0 }, restartAfterMs: 3000 }],
        horizonMs: 1000,
      },
      2,
    );
    const back = entries(r, (e) => e.member === 'm1' && e.kind === 'restarted')[0]!;
    expect(back.timeUs).toBe(3_000_000);
    const learned = entries(
      r,
      (e) =>
        e.member === 'm1' && (e.kind === 'learned-leader' || e.kind === 'became-follower') && e.timeUs > back.timeUs,
    );
    expect(learned.length).toBeGreaterThan(0);
    expect(r.metrics.allKnowAfterUs).not.toBeNull();
  });

  it('the service timeline: survivors are writable before the crash and again once each follows the new leader', () => {
    const r = trial(etcdConfig(), crashLeader(), 5);
    const crashAt = r.faults[0]!.timeUs;
    const s = r.service!;
    for (const name of ['m2', 'm3', 'm4', 'm5']) {
      const intervals = s.writableThrough[name]!;
      expect(intervals[0]!.endUs).toBe(crashAt);
      expect(intervals[1]!.startUs).toBeGreaterThanOrEqual(crashAt + r.metrics.newLeaderAfterUs!);
      expect(intervals[1]!.endUs).toBe(s.horizonUs);
    }
    expect(s.writableThrough.m1!.length).toBe(1);
    const gap = s.clusterWritable[1]!.startUs - s.clusterWritable[0]!.endUs;
    expect(gap).toBe(r.metrics.unavailableUs);
  });
});

describe('determinism and invariants', () => {
  it('the same seed gives byte-identical results; another seed differs', () => {
    const a = JSON.stringify(trial(etcdConfig({ jitter: 0.1 }), crashLeader(), 42));
    const b = JSON.stringify(trial(etcdConfig({ jitter: 0.1 }), crashLeader(), 42));
    const c = JSON.stringify(trial(etcdConfig({ jitter: 0.1 }), crashLeader(), 43));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    const m1 = JSON.stringify(runMonteCarlo(etcdConfig(), crashLeader(), { trials: 200, seed: 9 }));
    expect(JSON.stringify(runMonteCarlo(etcdConfig(), crashLeader(), { trials: 200, seed: 9 }))).toBe(m1);
  });

  it('invariants hold under random faults, loss and both models (at most one leader per term, majority, learners)', () => {
    const targets = ['m1', 'm2', 'm3', 'm4', 'm5'];
    const faultArb: fc.Arbitrary<Fault> = fc.oneof(
      fc.record({
        type: fc.constantFrom('crash' as const, 'stop' as const),
        target: fc.oneof(
          fc.constant({ kind: 'etcd-leader' as const }),
          fc.constantFrom(...targets).map((name) => ({ kind: 'member' as const, name })),
        ),
        at: fc.record({ atMs: fc.integer({ min: 0, max: 3000 }) }),
        restartAfterMs: fc.integer({ min: 100, max: 3000 }),
      }),
      fc.record({
        type: fc.constant('partition' as const),
        groups: fc.subarray(targets, { minLength: 1, maxLength: 3 }).map((g) => [g]),
        at: fc.record({ atMs: fc.integer({ min: 0, max: 3000 }) }),
        healAfterMs: fc.integer({ min: 100, max: 3000 }),
        oneWay: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(faultArb, { maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.integer({ min: 0, max: 1000 }),
        (faults, classic, preVote, loss, seed) => {
          const base = etcdConfig({ members: 4, learners: 1, preVote, jitter: 0.3 });
          const config: ElectionConfig = {
            ...base,
            network: { ...base.network, lossProbability: loss },
            timing: classic
              ? {
                  model: 'classic',
                  electionTimeoutMinMs: 150,
                  electionTimeoutMaxMs: 300,
                  heartbeatIntervalMs: 50,
                  voteRetryMs: 40,
                  preVote,
                  checkQuorum: preVote,
                  leaderLease: preVote,
                }
              : base.timing,
          };
          // Throws InvariantViolation on any breach.
          runTrial(config, { faults, horizonMs: 3000 }, Random.derive(seed, 0), {
            seed,
            trialIndex: 0,
            maxEvents: 200_000,
          });
        },
      ),
      { numRuns: 60, seed: 2024 },
    );
  });

  it('an invariant violation names its seed and trial', () => {
    expect(new InvariantViolation('two leaders in term 3', 17, 4).message).toBe(
      'Raft invariant violated (seed 17, trial 4): two leaders in term 3',
    );
  });
});

describe('classic Raft timing', () => {
  it('continuous timeouts: the first campaign after a crash comes [min − heartbeat, max] after it', () => {
    const config: ElectionConfig = {
      ...etcdConfig({ members: 5 }),
      timing: {
        model: 'classic',
        electionTimeoutMinMs: 150,
        electionTimeoutMaxMs: 300,
        heartbeatIntervalMs: 75,
        preVote: false,
        checkQuorum: false,
        leaderLease: false,
      },
    };
    const firsts: number[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const r = trial(config, crashLeader(75, 2000), seed);
      const crash = entries(r, (e) => e.kind === 'crashed')[0]!.timeUs;
      firsts.push((entries(r, (e) => e.kind === 'election-timeout')[0]!.timeUs - crash) / 1000);
    }
    // Timer reset at the last heartbeat (1 ms after it was sent, 0–75 ms before the crash) + U[150, 300].
    expect(Math.min(...firsts)).toBeGreaterThanOrEqual(150 - 75 + 1);
    expect(Math.max(...firsts)).toBeLessThanOrEqual(300 + 1);
    // Not on a tick grid: many distinct sub-millisecond values.
    expect(new Set(firsts.map((v) => Math.round(v * 1000) % 1000)).size).toBeGreaterThan(100);
  });

  it('a candidate retries unanswered vote requests every voteRetryMs', () => {
    const base = etcdConfig({ members: 3 });
    const config: ElectionConfig = {
      ...base,
      network: { ...base.network, lossProbability: 0.3 },
      timing: {
        model: 'classic',
        electionTimeoutMinMs: 150,
        electionTimeoutMaxMs: 300,
        heartbeatIntervalMs: 75,
        voteRetryMs: 20,
        preVote: false,
        checkQuorum: false,
        leaderLease: false,
      },
    };
    const withRetry = runMonteCarlo(config, crashLeader(75, 3000), { trials: 300, seed: 1 });
    const without = runMonteCarlo(
      { ...config, timing: { ...config.timing, voteRetryMs: undefined } as ElectionConfig['timing'] },
      crashLeader(75, 3000),
      { trials: 300, seed: 1 },
    );
    // With 30% loss a lost request or answer costs a whole new timeout (150–300 ms) without retries, 20 ms with.
    expect(withRetry.newLeader.meanUs!).toBeLessThan(without.newLeader.meanUs!);
  });
});

describe('timeline cap', () => {
  it('stops recording at maxTimelineEntries and says so, while the metrics cover the whole trial', () => {
    const full = runTrial(etcdConfig(), crashLeader(), Random.derive(8, 0), { recordTimeline: true });
    const cut = runTrial(etcdConfig(), crashLeader(), Random.derive(8, 0), {
      recordTimeline: true,
      maxTimelineEntries: 3,
    });
    expect(cut.timeline).toEqual(full.timeline!.slice(0, 3));
    expect(cut.timelineTruncated).toBe(true);
    expect(full.timelineTruncated).toBeUndefined();
    expect(cut.metrics).toEqual(full.metrics);
  });
});

describe('restart of a stopping leader', () => {
  it('waits until the stopping leader has exited, then restarts it', () => {
    // Stop at 0 with restartAfterMs 20: the handover starts 0.5 ms later and the leader exits at its first
    // MoveLeader poll (100.5 ms), so the restart comes at the first retry after that (one tick later: 120 ms).
    const r = trial(
      etcdConfig(),
      {
        faults: [{ type: 'stop', target: { kind: 'etcd-leader' }, at: { atMs: 0 }, restartAfterMs: 20 }],
        horizonMs: 500,
      },
      1,
    );
    const stopped = entries(r, (e) => e.member === 'm1' && e.kind === 'stopped')[0]!;
    const restarted = entries(r, (e) => e.member === 'm1' && e.kind === 'restarted')[0]!;
    expect(stopped.timeUs).toBe(100_500);
    expect(restarted.timeUs).toBe(120_000);
  });

  it('never counts a learner as a write path', () => {
    const r = trial(etcdConfig({ members: 3, learners: 1 }), { faults: [], horizonMs: 1000 }, 1);
    expect(r.service!.writableThrough.m4).toEqual([]);
    expect(r.service!.writableThrough.m2!.length).toBe(1);
  });
});
