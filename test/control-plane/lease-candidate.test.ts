/**
 * Step tests of client-go's leader election, one rule each, in the style of etcd-io/raft's raft_paper_test.go:
 * one step in (a start, a timer, a reply, a kill), then the candidate's state and outbox checked. Expected
 * values are worked out from client-go's rules (tools/leaderelection/leaderelection.go) with the kubeadm
 * defaults LeaseDuration 15 s, RenewDeadline 10 s, RetryPeriod 2 s and JitterFactor 1.2.
 */
import { describe, expect, it } from 'vitest';
import type { Random } from '../../src/domain/random.js';
import {
  type CandidateOutput,
  LeaseCandidate,
  type LeaseCandidateSettings,
  type LeaseReply,
  LocalClock,
} from '../../src/domain/simulation/control-plane/lease-candidate.js';
import { type LeaseRecord, LeaseStore } from '../../src/domain/simulation/control-plane/lease-store.js';

const s = (seconds: number): number => Math.round(seconds * 1_000_000);
const ms = (millis: number): number => Math.round(millis * 1000);

/** A Random whose every uniform draw is `u`: the jitter becomes a number we can compute by hand. */
const fixedRandom = (u: number): Random =>
  ({ nextFloat: () => u, nextInt: (n: number) => Math.floor(u * n) }) as Random;

const defaults = (releaseOnCancel = false): LeaseCandidateSettings => ({
  leaseDurationS: 15,
  renewDeadlineUs: s(10),
  retryPeriodUs: s(2),
  releaseOnCancel,
});

const candidate = (opts: { rate?: number; u?: number; releaseOnCancel?: boolean } = {}) =>
  new LeaseCandidate(
    'cp-1_1',
    new LocalClock(opts.rate ?? 1),
    fixedRandom(opts.u ?? 0.5),
    defaults(opts.releaseOnCancel),
  );

/** Takes the outbox (the step's output) and leaves it empty for the next step. */
const take = (c: LeaseCandidate): CandidateOutput[] => c.outbox.splice(0);

const record = (fields: Partial<LeaseRecord>): LeaseRecord => ({
  version: 5,
  holder: 'cp-2_1',
  leaseDurationS: 15,
  transitions: 2,
  ...fields,
});

/** The request a step sent (replies must carry its attempt tag and the request itself). */
const sentOf = (out: CandidateOutput[]): Extract<CandidateOutput, { kind: 'send' }> => {
  const send = out.find((o) => o.kind === 'send');
  if (send?.kind !== 'send') throw new Error('no request sent');
  return send;
};
const attemptOf = (out: CandidateOutput[]): number => sentOf(out).attempt;

/** Answers the request the step sent. */
const answer = (c: LeaseCandidate, atUs: number, out: CandidateOutput[], reply: LeaseReply): void => {
  const sent = sentOf(out);
  c.receive(atUs, sent.attempt, sent.request, reply);
};

/** A leader in its renew loop: acquired a free lease at 0 (record version 8 now names it). */
function leader(opts: { releaseOnCancel?: boolean } = {}): { c: LeaseCandidate; held: LeaseRecord } {
  const c = candidate(opts);
  c.start(0);
  answer(c, ms(1), take(c), { ok: true, record: record({ holder: '', version: 7 }) });
  const held = record({ holder: 'cp-1_1', version: 8, transitions: 3 });
  answer(c, ms(2), take(c), { ok: true, record: held });
  take(c);
  return { c, held };
}

describe('acquire', () => {
  it('a fresh process reads the lease at once (Get), with no deadline', () => {
    const c = candidate();
    c.start(0);
    expect(take(c)).toEqual([
      { kind: 'send', attempt: 1, request: { kind: 'get' }, limitUs: Number.POSITIVE_INFINITY },
    ]);
    expect(c.mode).toBe('acquire');
  });

  it('takes a released lease (empty holder) at once, incrementing leaderTransitions', () => {
    const c = candidate();
    c.start(0);
    const a = attemptOf(take(c));
    c.receive(ms(1), a, { kind: 'get' }, { ok: true, record: record({ holder: '', version: 7, transitions: 2 }) });
    const out = take(c);
    const sentRequest = sentOf(out).request;
    expect(out).toEqual([
      {
        kind: 'send',
        attempt: a,
        request: {
          kind: 'update',
          expectVersion: 7,
          record: { holder: 'cp-1_1', leaseDurationS: 15, transitions: 3 },
          purpose: 'slow',
        },
        limitUs: Number.POSITIVE_INFINITY,
      },
    ]);
    const held = record({ holder: 'cp-1_1', version: 8, transitions: 3 });
    c.receive(ms(2), a, sentRequest, { ok: true, record: held });
    // Leading: the renew loop's first iteration runs at once.
    expect(take(c)).toEqual([
      { kind: 'acquired', leaderTransitions: 3 },
      { kind: 'timer', atUs: ms(2), timer: { type: 'iteration' } },
    ]);
    expect(c.mode).toBe('renew');
    expect(c.isLeader).toBe(true);
  });

  it('backs off RetryPeriod·(1 + u·1.2) when another holds a valid lease', () => {
    // u = 0.5: 2 s · (1 + 0.6) = 3.2 s after the try returned at 1 ms.
    const c = candidate({ u: 0.5 });
    c.start(0);
    const a = attemptOf(take(c));
    c.receive(ms(1), a, { kind: 'get' }, { ok: true, record: record({}) });
    expect(take(c)).toEqual([{ kind: 'timer', atUs: ms(1) + s(3.2), timer: { type: 'try', attempt: a + 1 } }]);
    expect(c.observedAtUs).toBe(ms(1));
  });

  it('waits between RetryPeriod and 2.2·RetryPeriod (JitterFactor 1.2)', () => {
    for (const [u, waitS] of [
      [0, 2],
      // 2 s · (1 + 0.999999 · 1.2) = 4.3999976 s, truncated to whole µs.
      [0.999999, 4.399997],
    ] as const) {
      const c = candidate({ u });
      c.start(0);
      const a = attemptOf(take(c));
      c.receive(0, a, { kind: 'get' }, { ok: true, record: record({}) });
      const [timer] = take(c);
      expect(timer).toMatchObject({ kind: 'timer', atUs: s(waitS) });
    }
  });

  it('after a failed request (refused, timed out) backs off the same way', () => {
    const c = candidate({ u: 0 });
    c.start(0);
    const a = attemptOf(take(c));
    c.receive(s(1), a, { kind: 'get' }, { ok: false, conflict: false });
    expect(take(c)).toEqual([{ kind: 'timer', atUs: s(3), timer: { type: 'try', attempt: a + 1 } }]);
  });
});

describe('expiry', () => {
  it('counts LeaseDurationSeconds from when it first saw the record, not from the record', () => {
    const c = candidate();
    c.start(0);
    const a = attemptOf(take(c));
    c.receive(s(1), a, { kind: 'get' }, { ok: true, record: record({}) });
    take(c);
    // observedTime 1 s + 15 s: valid while that is after now.
    expect(c.leaseValid(s(16) - 1)).toBe(true);
    expect(c.leaseValid(s(16))).toBe(false);
  });

  it('keeps observedTime when a later Get returns the same record, and takes the lease once it has expired', () => {
    const c = candidate({ u: 0 });
    c.start(0);
    let a = attemptOf(take(c));
    const stale = record({ version: 5 });
    c.receive(s(1), a, { kind: 'get' }, { ok: true, record: stale });
    take(c);
    // Tries every 2 s (u = 0); the holder never renews. The try at 17 s: 17 − 1 = 16 s ≥ 15 s, so expired.
    c.fire(s(17), { type: 'try', attempt: a + 1 });
    a = attemptOf(take(c));
    c.receive(s(17) + ms(1), a, { kind: 'get' }, { ok: true, record: stale });
    expect(c.observedAtUs).toBe(s(1));
    expect(take(c)).toEqual([
      {
        kind: 'send',
        attempt: a,
        request: {
          kind: 'update',
          expectVersion: 5,
          record: { holder: 'cp-1_1', leaseDurationS: 15, transitions: 3 },
          purpose: 'slow',
        },
        limitUs: Number.POSITIVE_INFINITY,
      },
    ]);
  });

  it('a changed record restarts the count (observedTime = when the new record was read)', () => {
    const c = candidate({ u: 0 });
    c.start(0);
    const a = attemptOf(take(c));
    c.receive(s(1), a, { kind: 'get' }, { ok: true, record: record({ version: 5 }) });
    take(c);
    c.fire(s(17), { type: 'try', attempt: a + 1 });
    const b = attemptOf(take(c));
    // The holder renewed meanwhile (version 6): valid for 15 s from 17.001 s, so the try fails.
    c.receive(s(17) + ms(1), b, { kind: 'get' }, { ok: true, record: record({ version: 6 }) });
    expect(c.observedAtUs).toBe(s(17) + ms(1));
    expect(take(c)).toEqual([{ kind: 'timer', atUs: s(19) + ms(1), timer: { type: 'try', attempt: b + 1 } }]);
  });

  it('measures on the local clock: a clock 25% fast expires a 15 s lease after 12 real seconds', () => {
    const c = candidate({ rate: 1.25 });
    c.start(0);
    const a = attemptOf(take(c));
    c.receive(0, a, { kind: 'get' }, { ok: true, record: record({}) });
    expect(c.leaseValid(s(12) - 1)).toBe(true);
    expect(c.leaseValid(s(12))).toBe(false);
  });
});

describe('renew', () => {
  it('an iteration sets RenewDeadline and renews on the fast path (optimistic Update of the record held)', () => {
    const { c, held } = leader();
    c.fire(ms(2), { type: 'iteration' });
    const out = take(c);
    expect(out).toEqual([
      { kind: 'timer', atUs: ms(2) + s(10), timer: { type: 'deadline', iteration: 1 } },
      {
        kind: 'send',
        attempt: attemptOf(out),
        request: {
          kind: 'update',
          expectVersion: held.version,
          record: { holder: 'cp-1_1', leaseDurationS: 15, transitions: 3 },
          purpose: 'fast',
        },
        limitUs: ms(2) + s(10),
      },
    ]);
  });

  it('a renewal that succeeds starts the next iteration RetryPeriod later', () => {
    const { c } = leader();
    c.fire(0, { type: 'iteration' });
    answer(c, ms(5), take(c), { ok: true, record: record({ holder: 'cp-1_1', version: 9 }) });
    expect(take(c)).toEqual([{ kind: 'timer', atUs: ms(5) + s(2), timer: { type: 'iteration' } }]);
    // The iteration's deadline is retired: firing it changes nothing.
    c.fire(s(10), { type: 'deadline', iteration: 1 });
    expect(take(c)).toEqual([]);
    expect(c.mode).toBe('renew');
  });

  it('a fast-path conflict falls back to Get within the same try', () => {
    const { c } = leader();
    c.fire(0, { type: 'iteration' });
    const a = attemptOf(take(c));
    c.receive(
      ms(3),
      a,
      { kind: 'update', expectVersion: 8, record: record({}), purpose: 'fast' },
      {
        ok: false,
        conflict: true,
      },
    );
    expect(take(c)).toEqual([{ kind: 'send', attempt: a, request: { kind: 'get' }, limitUs: s(10) }]);
  });

  it('a failed renewal retries at the next RetryPeriod tick of the iteration; a late one at once', () => {
    const { c } = leader();
    c.fire(0, { type: 'iteration' });
    let out = take(c);
    let a = attemptOf(out);
    answer(c, s(1), out, { ok: false, conflict: false });
    // Tried at 0, failed at 1 s: the ticker's next tick is 2 s.
    expect(take(c)).toEqual([{ kind: 'timer', atUs: s(2), timer: { type: 'try', attempt: a + 1 } }]);
    c.fire(s(2), { type: 'try', attempt: a + 1 });
    out = take(c);
    a = attemptOf(out);
    // Tried at 2 s, failed at 4.5 s: tick 4 s was missed and is kept, so the next try runs at once.
    answer(c, s(4.5), out, { ok: false, conflict: false });
    expect(take(c)).toEqual([{ kind: 'timer', atUs: s(4.5), timer: { type: 'try', attempt: a + 1 } }]);
  });
});

describe('renew deadline', () => {
  it('without a renewal for RenewDeadline: stops leading and exits (kube-controller-manager)', () => {
    const { c } = leader();
    c.fire(0, { type: 'iteration' });
    const a = attemptOf(take(c));
    c.fire(s(10), { type: 'deadline', iteration: 1 });
    expect(take(c)).toEqual([{ kind: 'stopped-leading', reason: 'renew-deadline' }, { kind: 'exited' }]);
    expect(c.mode).toBe('dead');
    // The in-flight request was cancelled: its reply is ignored.
    c.receive(s(10) + 1, a, { kind: 'get' }, { ok: true, record: record({}) });
    expect(take(c)).toEqual([]);
  });

  it('no try starts at or after the deadline', () => {
    const { c } = leader();
    c.fire(0, { type: 'iteration' });
    take(c);
    c.fire(s(8), { type: 'try', attempt: 99 }); // a stale timer: ignored
    expect(take(c)).toEqual([]);
  });

  it('with ReleaseOnCancel (kube-scheduler): releases (empty holder, LeaseDurationSeconds 1), then exits', () => {
    const { c, held } = leader({ releaseOnCancel: true });
    c.fire(0, { type: 'iteration' });
    take(c);
    c.fire(s(10), { type: 'deadline', iteration: 1 });
    const out = take(c);
    expect(out).toEqual([
      { kind: 'stopped-leading', reason: 'renew-deadline' },
      {
        kind: 'send',
        attempt: attemptOf(out),
        request: {
          kind: 'update',
          expectVersion: held.version,
          record: { holder: '', leaseDurationS: 1, transitions: 3 },
          purpose: 'release',
        },
        limitUs: Number.POSITIVE_INFINITY,
      },
    ]);
    answer(c, s(10) + ms(2), out, { ok: true, record: record({ holder: '', version: 9 }) });
    expect(take(c)).toEqual([{ kind: 'released' }, { kind: 'exited' }]);
  });
});

describe('kill', () => {
  it('a crash of the leader stops leadership at once and silences the process', () => {
    const { c } = leader();
    c.fire(0, { type: 'iteration' });
    take(c);
    c.kill(false);
    expect(take(c)).toEqual([{ kind: 'stopped-leading', reason: 'crash' }]);
    c.fire(s(2), { type: 'iteration' });
    c.fire(s(10), { type: 'deadline', iteration: 1 });
    expect(take(c)).toEqual([]);
  });

  it('a graceful stop of a leader offers its release request (the harness sends it)', () => {
    const { c, held } = leader({ releaseOnCancel: true });
    expect(c.releaseRequest()).toEqual({
      kind: 'update',
      expectVersion: held.version,
      record: { holder: '', leaseDurationS: 1, transitions: 3 },
      purpose: 'release',
    });
    c.kill(true);
    expect(take(c)).toEqual([{ kind: 'stopped-leading', reason: 'stop' }]);
    // A non-leader has nothing to release.
    expect(candidate().releaseRequest()).toBeUndefined();
  });
});

describe('LeaseStore', () => {
  it('writes only over the version read (optimistic concurrency) and logs every committed write', () => {
    const store = new LeaseStore(record({ version: 1, holder: 'cp-1_1' }));
    expect(store.update(10, 1, { holder: 'cp-1_1', leaseDurationS: 15, transitions: 2 })?.version).toBe(2);
    // A second writer that read version 1 conflicts and changes nothing.
    expect(store.update(11, 1, { holder: 'cp-2_1', leaseDurationS: 15, transitions: 3 })).toBeUndefined();
    expect(store.get()).toMatchObject({ version: 2, holder: 'cp-1_1' });
    expect(store.writes).toEqual([{ timeUs: 10, holder: 'cp-1_1' }]);
  });
});

describe('LocalClock', () => {
  it('turns local durations into real ones: 2 s on a clock 25% fast takes 1.6 real seconds, never 0', () => {
    expect(new LocalClock(1.25).realUs(s(2))).toBe(s(1.6));
    expect(new LocalClock(1.5).realUs(0)).toBe(1);
    expect(new LocalClock(1.25).localElapsedUs(0, s(12))).toBe(s(15));
  });
});
