/**
 * etcd's tick model simulated lazily (timing-policy.ts EtcdTicks): a follower's ticks are not events; it has one
 * timer event at the tick where its election timer fires. Checked against a naive recount of the ticks from
 * raft.go's rules alone: the member ticks at φ + k·T; each tick adds one to electionElapsed; a message from the
 * leader sets it to 0; the member campaigns at the tick where electionElapsed reaches randomizedTicks; the
 * lease holds while electionElapsed < ET. A tick and a heartbeat on the same microsecond: the tick first (the
 * order of the eager model, whose tick was queued one interval ahead).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../src/domain/random.js';
import { NumericEventQueue } from '../src/domain/simulation/numeric-queue.js';
import { Outbox } from '../src/domain/simulation/outbox.js';
import type { RaftObserver } from '../src/domain/simulation/raft-events.js';
import { CANDIDATE, FOLLOWER, M_HEARTBEAT, PRE_CANDIDATE } from '../src/domain/simulation/raft-messages.js';
import { RaftNodes } from '../src/domain/simulation/raft-node.js';
import { ClassicTimers, EtcdTicks, type TimerHost } from '../src/domain/simulation/timing-policy.js';

const tickUs = 100_000;
const electionTicks = 10;

/** Three members; m2 (index 1) follows m1 (index 0) at term 2; only the policy's own events are queued. */
/** The harness side the timing policies call back into: every member up, the outbox emptied on flush. */
function timerHost(seed: number, n: number, queue: NumericEventQueue, outbox: Outbox): TimerHost & { now: number } {
  return {
    now: 0,
    rng: new Random(seed),
    up: new Uint8Array(n).fill(1),
    incarnation: new Int32Array(n),
    schedule: (timeUs, payload) => queue.push(timeUs, payload),
    activePeers: () => n - 1,
    flush: () => outbox.clear(),
    tickAdvance: () => {},
    heartbeatsInFlight: () => {},
  };
}

function cluster(seed: number) {
  const n = 3;
  const queue = new NumericEventQueue(16);
  const outbox = new Outbox();
  const campaigns: number[] = [];
  const observer: RaftObserver = {
    detailed: false,
    event: () => {},
    // Only the follower under test (m2) is watched; the others are not fed and time out on their own.
    becamePreCandidate: (i) => {
      if (i === 1) campaigns.push(host.now);
    },
    becameCandidate: () => {},
    becameLeader: () => {},
    voted: () => {},
  };
  const nodes = new RaftNodes(
    new Uint8Array(n),
    Int32Array.from([0, 1, 2]),
    { preVote: true, checkQuorum: true, leaderLease: true, answerStaleLeader: true, electionTicks },
    outbox,
    observer,
  );
  const host = timerHost(seed, n, queue, outbox);
  const timing = new EtcdTicks(
    {
      model: 'etcd',
      heartbeatIntervalMs: tickUs / 1000,
      electionTimeoutMs: (electionTicks * tickUs) / 1000,
      preVote: true,
      initialElectionTickAdvance: false,
    },
    nodes,
    host,
  );
  nodes.timing = timing;
  nodes.clearProgress();
  for (let i = 0; i < n; i++) {
    nodes.state[i] = i === 0 ? 3 : FOLLOWER;
    nodes.term[i] = 2;
    nodes.lead[i] = 0;
    nodes.vote[i] = 0;
    timing.drawTimeout(i);
  }
  let events = 0;
  /** Runs the policy's events due at or before t (a tick on t's microsecond comes first), then sets now = t. */
  const runUntil = (t: number) => {
    while (queue.size > 0 && queue.peekTimeUs()! <= t) {
      queue.pop();
      host.now = queue.poppedTimeUs;
      events++;
      const kind = queue.poppedPayload & 15;
      timing.dispatch(kind, queue.poppedPayload >>> 4);
      outbox.clear();
    }
    host.now = t;
  };
  const heartbeat = (t: number) => {
    runUntil(t);
    nodes.step(1, { type: M_HEARTBEAT, from: 0, term: 2, logTerm: 0, index: 0, flags: 0 });
    outbox.clear();
  };
  return { nodes, timing, host, campaigns, runUntil, heartbeat, events: () => events };
}

/** The naive recount: ticks of phase φ in (after, upTo]. */
const ticksIn = (phase: number, after: number, upTo: number) => {
  let count = 0;
  for (let t = phase; t <= upTo; t += tickUs) if (t > after) count++;
  return count;
};

describe('etcd ticks, counted lazily, as raft.go counts them', () => {
  it('the campaign comes at the R-th own tick after the last heartbeat, whatever the heartbeat times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        // Heartbeat gaps in µs, or -1: the next heartbeat lands exactly on the follower's next tick.
        fc.array(fc.oneof(fc.integer({ min: 0, max: 3 * tickUs }), fc.constant(-1), fc.constant(0)), {
          minLength: 1,
          maxLength: 30,
        }),
        (seed, gaps) => {
          const c = cluster(seed);
          const startUs = 0;
          c.timing.startSteady(0, startUs);
          // startSteady draws every member's tick phase from the seed: the first tick at or after the start.
          const phaseUs = (c.timing as unknown as { nextTickUs: Float64Array }).nextTickUs[1]!;
          let last = startUs - 1;
          let t = startUs;
          const r = c.nodes.randomizedTicks[1]!;
          for (const gap of gaps) {
            t = gap >= 0 ? t + gap : phaseUs + (Math.floor((t - phaseUs) / tickUs) + 1) * tickUs;
            // Stop feeding heartbeats once the naive count says the timer has fired.
            if (ticksIn(phaseUs, last, t) >= r) break;
            c.heartbeat(t);
            if (c.campaigns.length > 0) break;
            last = t;
            // The lease right after a heartbeat: nothing counted yet.
            expect(c.timing.withinLease(1)).toBe(true);
          }
          // The naive firing moment: the r-th tick after the last heartbeat (ticks strictly after it).
          let fire = phaseUs;
          while (ticksIn(phaseUs, last, fire) < r) fire += tickUs;
          c.runUntil(fire + 10 * tickUs);
          expect(c.campaigns[0]).toBe(fire);
          expect(c.nodes.state[1]).toBe(PRE_CANDIDATE);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the lease at any moment is electionElapsed < ET with electionElapsed the ticks since the heartbeat', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 25 * tickUs }),
        fc.integer({ min: 0, max: 2 * electionTicks * tickUs }),
        fc.boolean(),
        (seed, heartbeatAt, after, onTick) => {
          const c = cluster(seed);
          c.timing.startSteady(0, 0);
          const phaseUs = (c.timing as unknown as { nextTickUs: Float64Array }).nextTickUs[1]!;
          const r = c.nodes.randomizedTicks[1]!;
          // Keep the follower hearing the leader every tick until heartbeatAt, then silence.
          let last = -1;
          for (let t = 0; t <= heartbeatAt; t += tickUs / 2) {
            c.heartbeat(t);
            last = t;
          }
          // The question asked at a random moment, or exactly on one of the follower's ticks.
          const q = onTick ? phaseUs + Math.ceil((last + after - phaseUs) / tickUs) * tickUs : last + after;
          const elapsed = ticksIn(phaseUs, last, q);
          if (elapsed >= r) return; // the timer fired: no lease question left
          c.runUntil(q);
          expect(c.campaigns).toEqual([]);
          expect(c.timing.withinLease(1)).toBe(elapsed < electionTicks);
          expect(c.nodes.electionElapsed[1]).toBe(elapsed);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('ticks that cannot fire are not events: 100 heartbeat intervals of a steady follower cost a handful', () => {
    const c = cluster(7);
    c.timing.startSteady(0, 0);
    for (let t = 0; t <= 100 * tickUs; t += tickUs) c.heartbeat(t);
    // The leader ticks (101 events) and each follower re-arms its pending timer about once per R ticks.
    expect(c.events()).toBeLessThan(101 + 2 * (100 / electionTicks) + 4);
    expect(c.campaigns).toEqual([]);
  });
});

describe('classic timers: the election timer fires at the last reset plus the timeout drawn then', () => {
  /** One follower (index 1) of a classic 3-member cluster, timeouts 150–300 ms, over a real queue. */
  function classicFollower(seed: number) {
    const n = 3;
    const queue = new NumericEventQueue(16);
    const outbox = new Outbox();
    const campaigns: number[] = [];
    const host = timerHost(seed, n, queue, outbox);
    const observer: RaftObserver = {
      detailed: false,
      event: () => {},
      becamePreCandidate: () => {},
      becameCandidate: (i) => {
        if (i === 1) campaigns.push(host.now);
      },
      becameLeader: () => {},
      voted: () => {},
    };
    const nodes = new RaftNodes(
      new Uint8Array(n),
      Int32Array.from([0, 1, 2]),
      { preVote: false, checkQuorum: false, leaderLease: false, answerStaleLeader: true, electionTicks: 0 },
      outbox,
      observer,
    );
    const timing = new ClassicTimers(
      {
        model: 'classic',
        electionTimeoutMinMs: 150,
        electionTimeoutMaxMs: 300,
        heartbeatIntervalMs: 75,
        preVote: false,
        checkQuorum: false,
        leaderLease: false,
      },
      nodes,
      host,
    );
    nodes.timing = timing;
    nodes.clearProgress();
    for (let i = 0; i < n; i++) {
      nodes.state[i] = FOLLOWER;
      nodes.term[i] = 2;
      nodes.lead[i] = 0;
      timing.drawTimeout(i);
    }
    const runUntil = (t: number) => {
      while (queue.size > 0 && queue.peekTimeUs()! <= t) {
        queue.pop();
        host.now = queue.poppedTimeUs;
        timing.dispatch(queue.poppedPayload & 15, queue.poppedPayload >>> 4);
        outbox.clear();
      }
      host.now = t;
    };
    const drawn = () => (timing as unknown as { drawnTimeoutUs: Float64Array }).drawnTimeoutUs[1]!;
    return { nodes, timing, runUntil, campaigns, drawn };
  }

  it('a shorter timeout drawn at a later heartbeat is not held back by the longer one pending', () => {
    let shorterCases = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const c = classicFollower(seed);
      // Heard from the leader at 0 and at 75 ms, then nothing (the leader crashed).
      c.timing.heardFromLeader(1);
      const first = c.drawn();
      c.runUntil(75_000);
      c.timing.heardFromLeader(1);
      const last = c.drawn();
      if (75_000 + last < first) shorterCases++;
      c.runUntil(1_000_000);
      expect(c.campaigns[0], `seed ${seed}`).toBe(75_000 + last);
      expect(c.nodes.state[1]).toBe(CANDIDATE);
    }
    // The case this guards: the later draw is the shorter deadline (about a third of these seeds).
    expect(shorterCases).toBeGreaterThan(20);
  });
});
