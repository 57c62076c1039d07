/**
 * @module simulation/control-plane/lease-candidate
 * One process's client-go leader election (tools/leaderelection/leaderelection.go) as a state machine: steps
 * in (start, a timer it asked for fires, a reply to a request it sent, the process is killed or stopped),
 * an outbox out (requests to send, timers to set, and transitions: acquired, stopped leading, released,
 * exited). It never schedules, sends or renders anything itself: the harness (lease-election.ts) carries
 * requests through the apiserver, runs the clock and writes the timeline.
 *
 * Rules, each measured on the candidate's own clock (a fast clock expires a lease early):
 * - acquire(): `wait.JitterUntil(tryAcquireOrRenew, RetryPeriod, 1.2, sliding)`: the next try
 *   RetryPeriod·(1 + U[0,1)·1.2) after the previous one returned.
 * - tryAcquireOrRenew(): `now` is read first. A holder whose lease is still valid tries an optimistic Update
 *   of the record it last observed (the fast path); a conflict falls back to Get + Update in the same try.
 *   A Get whose record differs from the one observed resets observedTime to when it returned. The lease is
 *   held by another while observedTime + LeaseDurationSeconds is after `now`; an empty holder (released) is
 *   free at once. Taking over increments leaderTransitions.
 * - renew(): `wait.Until(…, RetryPeriod)`: an iteration at once after acquiring, then RetryPeriod after each
 *   successful one. Each iteration polls (a ticker of RetryPeriod from the iteration's start; one missed tick
 *   is kept) until a renewal succeeds or RenewDeadline passes; then leadership is lost, in-flight requests
 *   are cancelled, and the process exits after, with ReleaseOnCancel (kube-scheduler), trying to release.
 * - A process is one identity: a restart is a new LeaseCandidate with a new identity, which cannot reclaim
 *   its predecessor's lease.
 */
import type { Random } from '../../random.js';
import type { LeaseRecord, LeaseRecordBody } from './lease-store.js';
import { jitterFactor } from './model.js';

/** A node's clock: local durations (what client-go's timers count) against real simulated time. */
export class LocalClock {
  constructor(
    /** Local seconds per real second: 1 is exact, 1.01 runs 1% fast. */
    readonly rate: number,
  ) {}

  /** Real µs a local duration takes (at least 1, so a timer never fires at the instant it is set). */
  realUs(localUs: number): number {
    return Math.max(1, Math.round(localUs / this.rate));
  }

  /** Local µs that pass between two real moments. */
  localElapsedUs(fromUs: number, toUs: number): number {
    return (toUs - fromUs) * this.rate;
  }
}

export interface LeaseCandidateSettings {
  /** LeaseDurationSeconds written into the record (whole seconds). */
  leaseDurationS: number;
  /** Local µs. */
  renewDeadlineUs: number;
  retryPeriodUs: number;
  /** kube-scheduler's ReleaseOnCancel: release the lease when leadership is lost. */
  releaseOnCancel: boolean;
}

export type LeaseRequest =
  | { kind: 'get' }
  | { kind: 'update'; expectVersion: number; record: LeaseRecordBody; purpose: 'fast' | 'slow' | 'release' };

/** How a request ended, as the client sees it. */
export type LeaseReply =
  | { ok: true; record: LeaseRecord }
  /** The apiserver refused or dropped it, the client timed out, or (an update) the record had changed. */
  | { ok: false; conflict: boolean };

export type CandidateTimer =
  | { type: 'try'; attempt: number }
  | { type: 'iteration' }
  | { type: 'deadline'; iteration: number };

export type StoppedLeadingReason = 'renew-deadline' | 'crash' | 'stop';

export type CandidateOutput =
  /** Send this request now; `attempt` tags the reply; `limitUs` is the caller's context deadline (real µs). */
  | { kind: 'send'; attempt: number; request: LeaseRequest; limitUs: number }
  | { kind: 'timer'; atUs: number; timer: CandidateTimer }
  /** Leading now; the record's leaderTransitions after the takeover. */
  | { kind: 'acquired'; leaderTransitions: number }
  | { kind: 'stopped-leading'; reason: StoppedLeadingReason }
  | { kind: 'released' }
  /** The process exits (OnStoppedLeading); kubelet restarts it as a new identity. */
  | { kind: 'exited' };

export type CandidateMode = 'acquire' | 'renew' | 'exiting' | 'dead';

export class LeaseCandidate {
  /** What to do next, in order; the harness drains it after every step. */
  readonly outbox: CandidateOutput[] = [];
  mode: CandidateMode = 'acquire';
  /** The record last observed, and when (real µs). */
  observed: LeaseRecord | undefined;
  observedAtUs = 0;
  /** Bumped to invalidate every reply and try timer of the current attempt (cancellation, a crash). */
  private attempt = 0;
  private attemptStartUs = 0;
  private iteration = 0;
  private iterationStartUs = 0;
  private iterationDeadlineUs = 0;

  constructor(
    readonly identity: string,
    readonly clock: LocalClock,
    private readonly random: Random,
    private readonly settings: LeaseCandidateSettings,
  ) {}

  /** The record last observed names this process. */
  get isLeader(): boolean {
    return this.observed !== undefined && this.observed.holder === this.identity;
  }

  /** Whether a reply or an effect of this attempt is still wanted. */
  isCurrent(attempt: number): boolean {
    return attempt === this.attempt;
  }

  /** The lease last observed has not expired by `nowUs`, on this node's clock. */
  leaseValid(nowUs: number): boolean {
    return (
      this.observed !== undefined &&
      this.clock.localElapsedUs(this.observedAtUs, nowUs) < this.observed.leaseDurationS * 1_000_000
    );
  }

  /** Steady start, not leading: the first try at `firstTryUs` (the harness draws the phase). */
  startAcquiring(firstTryUs: number): void {
    this.mode = 'acquire';
    this.attempt++;
    this.outbox.push({ kind: 'timer', atUs: firstTryUs, timer: { type: 'try', attempt: this.attempt } });
  }

  /** Steady start, leading: holds `record` (just renewed at `nowUs`); the first iteration at `firstIterationUs`. */
  startLeading(record: LeaseRecord, nowUs: number, firstIterationUs: number): void {
    this.observed = record;
    this.observedAtUs = nowUs;
    this.mode = 'renew';
    this.outbox.push({ kind: 'timer', atUs: firstIterationUs, timer: { type: 'iteration' } });
  }

  /** A fresh process: observes nothing yet and tries at once. */
  start(nowUs: number): void {
    this.mode = 'acquire';
    this.observed = undefined;
    this.observedAtUs = nowUs;
    this.beginTry(nowUs);
  }

  /** A timer this candidate set fires. */
  fire(nowUs: number, timer: CandidateTimer): void {
    if (timer.type === 'try') {
      if (timer.attempt === this.attempt && (this.mode === 'acquire' || this.mode === 'renew')) this.beginTry(nowUs);
      return;
    }
    if (this.mode !== 'renew') return;
    if (timer.type === 'iteration') {
      this.iteration++;
      this.iterationStartUs = nowUs;
      this.iterationDeadlineUs = nowUs + this.clock.realUs(this.settings.renewDeadlineUs);
      this.outbox.push({
        kind: 'timer',
        atUs: this.iterationDeadlineUs,
        timer: { type: 'deadline', iteration: this.iteration },
      });
      this.beginTry(nowUs);
      return;
    }
    if (timer.iteration !== this.iteration) return;
    // The iteration did not renew in time: stop leading; in-flight requests are cancelled.
    this.attempt++;
    this.outbox.push({ kind: 'stopped-leading', reason: 'renew-deadline' });
    this.mode = 'exiting';
    // OnStoppedLeading runs after renew() returns, so with ReleaseOnCancel the process exits once release() does.
    if (this.settings.releaseOnCancel && this.isLeader) this.sendRelease();
    else this.exit();
  }

  /** The reply to a request of `attempt`; stale replies are ignored. */
  receive(nowUs: number, attempt: number, request: LeaseRequest, reply: LeaseReply): void {
    if (attempt !== this.attempt || this.mode === 'dead') return;
    if (this.mode === 'exiting') {
      // Only a release can be outstanding while exiting.
      if (reply.ok) {
        this.observed = reply.record;
        this.outbox.push({ kind: 'released' });
      }
      this.exit();
      return;
    }
    if (request.kind === 'update' && request.purpose === 'fast' && !reply.ok && reply.conflict) {
      // "Failed to update lock optimistically, falling back to slow path": Get, within the same try.
      this.send({ kind: 'get' });
      return;
    }
    if (request.kind === 'get' && reply.ok) {
      this.observeAndUpdate(nowUs, reply.record);
      return;
    }
    if (reply.ok) {
      this.observed = reply.record;
      this.observedAtUs = nowUs;
    }
    this.finishTry(nowUs, reply.ok);
  }

  /** The process is killed (SIGKILL) or stopped (SIGTERM); it never acts again. */
  kill(graceful: boolean): void {
    if (this.mode === 'renew') this.outbox.push({ kind: 'stopped-leading', reason: graceful ? 'stop' : 'crash' });
    this.mode = 'dead';
    this.attempt++;
  }

  private beginTry(nowUs: number): void {
    this.attempt++;
    this.attemptStartUs = nowUs;
    if (this.isLeader && this.leaseValid(nowUs)) {
      const observed = this.observed!;
      const record = {
        holder: this.identity,
        leaseDurationS: this.settings.leaseDurationS,
        transitions: observed.transitions,
      };
      this.send({ kind: 'update', expectVersion: observed.version, record, purpose: 'fast' });
      return;
    }
    this.send({ kind: 'get' });
  }

  /** After a Get: adopt a changed record, then give up (held by another) or write (slow path). */
  private observeAndUpdate(nowUs: number, record: LeaseRecord): void {
    if (this.observed?.version !== record.version) {
      this.observed = record;
      this.observedAtUs = nowUs;
    }
    // `now` was read when the try began.
    if (record.holder !== '' && this.leaseValid(this.attemptStartUs) && !this.isLeader) {
      this.finishTry(nowUs, false);
      return;
    }
    const keep = this.isLeader;
    const body = {
      holder: this.identity,
      leaseDurationS: this.settings.leaseDurationS,
      transitions: keep ? record.transitions : record.transitions + 1,
    };
    this.send({ kind: 'update', expectVersion: record.version, record: body, purpose: 'slow' });
  }

  private finishTry(nowUs: number, ok: boolean): void {
    const periodUs = this.settings.retryPeriodUs;
    if (this.mode === 'acquire') {
      if (ok) {
        this.mode = 'renew';
        this.outbox.push({ kind: 'acquired', leaderTransitions: this.observed?.transitions ?? 0 });
        this.outbox.push({ kind: 'timer', atUs: nowUs, timer: { type: 'iteration' } });
        return;
      }
      const waitUs = this.clock.realUs(Math.floor(periodUs * (1 + this.random.nextFloat() * jitterFactor)));
      this.attempt++;
      this.outbox.push({ kind: 'timer', atUs: nowUs + waitUs, timer: { type: 'try', attempt: this.attempt } });
      return;
    }
    if (ok) {
      this.iteration++; // retires this iteration's deadline
      this.outbox.push({ kind: 'timer', atUs: nowUs + this.clock.realUs(periodUs), timer: { type: 'iteration' } });
      return;
    }
    // PollUntilContextTimeout: the next poll at the ticker's next tick (one missed tick is kept, so a slow try
    // is followed by the next one at once).
    const tickUs = this.clock.realUs(periodUs);
    const ticksPassed = Math.floor((this.attemptStartUs - this.iterationStartUs) / tickUs) + 1;
    const nextUs = Math.max(nowUs, this.iterationStartUs + ticksPassed * tickUs);
    if (nextUs >= this.iterationDeadlineUs) return; // the deadline timer ends leadership
    this.attempt++;
    this.outbox.push({ kind: 'timer', atUs: nextUs, timer: { type: 'try', attempt: this.attempt } });
  }

  /** release(): Update with an empty holder and LeaseDurationSeconds 1, from the record last observed. */
  releaseRequest(): LeaseRequest | undefined {
    if (!this.isLeader) return undefined;
    const observed = this.observed!;
    return {
      kind: 'update',
      expectVersion: observed.version,
      record: { holder: '', leaseDurationS: 1, transitions: observed.transitions },
      purpose: 'release',
    };
  }

  private sendRelease(): void {
    this.attempt++;
    this.outbox.push({
      kind: 'send',
      attempt: this.attempt,
      request: this.releaseRequest()!,
      limitUs: Number.POSITIVE_INFINITY,
    });
  }

  private send(request: LeaseRequest): void {
    const limitUs = this.mode === 'renew' ? this.iterationDeadlineUs : Number.POSITIVE_INFINITY;
    this.outbox.push({ kind: 'send', attempt: this.attempt, request, limitUs });
  }

  private exit(): void {
    this.mode = 'dead';
    this.attempt++;
    this.outbox.push({ kind: 'exited' });
  }
}
