/**
 * @module simulation/control-plane/lease-election
 * client-go's lease-based leader election (tools/leaderelection/leaderelection.go) for one component
 * (kube-controller-manager or kube-scheduler), one candidate per control-plane node, each talking to its
 * local apiserver. The rules modelled, all measured on the candidate's own clock:
 *
 * - acquire(): `wait.JitterUntil(tryAcquireOrRenew, RetryPeriod, 1.2, sliding)`: a try at once, then each next
 *   try RetryPeriod·(1 + U[0,1)·1.2) after the previous one returned.
 * - tryAcquireOrRenew(): `now` is read first; the holder first tries an optimistic Update of the record it last
 *   observed (the fast path of current client-go), falling back to Get + Update. A Get whose record differs
 *   from the one observed resets observedTime to the local time it returned. The lease is held while
 *   observedTime + LeaseDurationSeconds (the holder's, whole seconds) is after `now`; an empty holder (a
 *   release) is free at once. Updates are optimistic-concurrency writes: a record changed meanwhile → conflict.
 * - renew(): `wait.Until(…, RetryPeriod)`: an iteration at once after acquiring, then RetryPeriod after each
 *   successful one. Each iteration polls (`PollUntilContextTimeout`, a ticker of RetryPeriod from the
 *   iteration's start) until a renewal succeeds or RenewDeadline passes; then leadership is lost, in-flight
 *   requests are cancelled, and the process exits (both components exit on OnStoppedLeading) after, for the
 *   scheduler (ReleaseOnCancel), trying to release the lease.
 * - A restarted process is a new identity (hostname + fresh UUID): it cannot reclaim its predecessor's lease
 *   and waits out a full lease duration like any candidate.
 * - Every request goes through the local apiserver: refused at once while that apiserver is down, otherwise it
 *   takes effect when the apiserver's etcd path first commits, if that is within the request timeout
 *   (RenewDeadline/2, at least 1 s) and the iteration's deadline; it completes requestLatency later.
 */
import { covers, type IntervalUs } from '../availability.js';
import { EventQueue } from '../event-queue.js';
import type { Random } from '../../random.js';
import type { ApiserverState } from './apiserver.js';
import { endOfCover, firstCovered } from './intervals.js';
import { jitterFactor, type ControlPlaneModel, type LeaseComponent } from './model.js';
import type { TimelineEntry } from './timeline.js';
import { type CostDriver, WorkBudget } from '../work-budget.js';

/** What the lease elections' events cost, for the work budget. */
export const leaseElectionDriver: CostDriver = {
  what: 'lease renewals and retries',
  field: 'leaderElection.retryPeriodS',
};

/** A process stops (crash or graceful stop) or may start again, by fault. */
export interface ProcessTransition {
  timeUs: number;
  node: string;
  down: boolean;
  graceful: boolean;
}

export interface LeadershipSpan {
  node: string;
  identity: string;
  startUs: number;
  endUs: number;
  /** Why it ended: 'renew-deadline', 'crash', 'stop', or 'horizon' (still leading at the end). */
  endedBy: 'renew-deadline' | 'crash' | 'stop' | 'horizon';
}

export interface LeaseElectionResult {
  component: LeaseComponent;
  spans: LeadershipSpan[];
  /** Moments when more than one process believed it led (possible with clock-rate skew or long latencies). */
  overlaps: IntervalUs[];
  /** Every committed write of the lease record: when it took effect in etcd, and the holder it wrote ('' = released). */
  writes: { timeUs: number; holder: string }[];
}

/** Never mutated: a write replaces the whole record, so a snapshot is the object itself. */
interface LeaseRecord {
  /** Stands for the raw bytes: every write changes renewTime, so every write is a new version. */
  version: number;
  holder: string;
  leaseDurationS: number;
  transitions: number;
}

interface Candidate {
  node: string;
  rate: number;
  random: Random;
  up: boolean;
  faultDown: number;
  incarnation: number;
  identity: string;
  observed: LeaseRecord | undefined;
  observedAtUs: number;
  mode: 'acquire' | 'renew' | 'exiting';
  /** Bumped to invalidate every pending event of the current attempt (cancellation, crash). */
  attempt: number;
  attemptStartUs: number;
  iteration: number;
  iterationStartUs: number;
  iterationDeadlineUs: number;
  leadingSinceUs: number | undefined;
  restartPending: boolean;
}

type Ev =
  | { kind: 'fault'; transition: ProcessTransition }
  | { kind: 'start'; node: string }
  | { kind: 'try'; node: string; attempt: number }
  | { kind: 'iteration'; node: string; incarnation: number }
  | { kind: 'deadline'; node: string; iteration: number; incarnation: number }
  | { kind: 'get'; node: string; attempt: number; doneUs: number }
  | {
      kind: 'update';
      node: string;
      attempt: number;
      doneUs: number;
      expectVersion: number;
      record: Omit<LeaseRecord, 'version'>;
      purpose: 'fast' | 'slow' | 'release';
    }
  | {
      kind: 'done';
      node: string;
      attempt: number;
      ok: boolean;
      snapshot?: LeaseRecord;
      purpose: 'fast' | 'get' | 'slow' | 'release' | 'refused' | 'timeout';
      fastFailed?: boolean;
    };

export interface LeaseElectionInput {
  model: ControlPlaneModel;
  component: LeaseComponent;
  apiservers: Map<string, ApiserverState>;
  transitions: readonly ProcessTransition[];
  initialHolder: string;
  /** One independent stream per candidate. */
  randomFor: (node: string) => Random;
  horizonUs: number;
  timeline: TimelineEntry[];
  /** Charged one event per event processed. Default: unlimited. */
  budget?: WorkBudget;
}

export function simulateLeaseElection(input: LeaseElectionInput): LeaseElectionResult {
  const { model, component, apiservers, horizonUs, timeline } = input;
  const budget = input.budget ?? WorkBudget.unlimited();
  const releaseOnCancel = component === 'kube-scheduler';
  const P = model.retryPeriodUs;
  const queue = new EventQueue<Ev>();
  const spans: LeadershipSpan[] = [];
  const writes: { timeUs: number; holder: string }[] = [];
  const note = (timeUs: number, node: string, text: string): void => {
    if (timeUs >= 0) timeline.push({ timeUs, layer: component, subject: node, text });
  };

  const candidates = new Map<string, Candidate>();
  for (const n of model.nodes) {
    candidates.set(n.name, {
      node: n.name,
      rate: n.clockRate,
      random: input.randomFor(n.name),
      up: false,
      faultDown: 0,
      incarnation: 0,
      identity: '',
      observed: undefined,
      observedAtUs: 0,
      mode: 'acquire',
      attempt: 0,
      attemptStartUs: 0,
      iteration: 0,
      iterationStartUs: 0,
      iterationDeadlineUs: 0,
      leadingSinceUs: undefined,
      restartPending: false,
    });
  }
  // A local duration (what the node's timers count) in real microseconds.
  const real = (c: Candidate, localUs: number): number => Math.max(1, Math.round(localUs / c.rate));

  // Steady state at the warm-up's start: the initial holder leads and has just renewed.
  const startUs = -model.warmupUs;
  let lease: LeaseRecord = { version: 1, holder: '', leaseDurationS: model.leaseDurationS, transitions: 0 };
  for (const c of candidates.values()) {
    c.up = true;
    c.incarnation = 1;
    c.identity = `${c.node}_1`;
    if (c.node === input.initialHolder) {
      lease = { ...lease, holder: c.identity };
      c.observed = lease;
      c.observedAtUs = startUs;
      c.mode = 'renew';
      c.leadingSinceUs = startUs;
      queue.push(startUs + c.random.nextInt(P), { kind: 'iteration', node: c.node, incarnation: 1 });
    } else {
      c.attempt++;
      queue.push(startUs + c.random.nextInt(Math.round(P * (1 + jitterFactor))), {
        kind: 'try',
        node: c.node,
        attempt: c.attempt,
      });
    }
  }
  for (const t of input.transitions) queue.push(t.timeUs, { kind: 'fault', transition: t });

  const isLeader = (c: Candidate): boolean => c.observed !== undefined && c.observed.holder === c.identity;
  const leaseValid = (c: Candidate, nowUs: number): boolean =>
    c.observed !== undefined && (nowUs - c.observedAtUs) * c.rate < c.observed.leaseDurationS * 1_000_000;

  /**
   * Sends a request through the node's apiserver at sendUs; schedules its effect, or a failure. limitUs: the
   * caller's context deadline (the renew iteration's), if any.
   */
  const send = (
    c: Candidate,
    sendUs: number,
    limitUs: number,
    effect: (effectUs: number, doneUs: number) => Ev,
    failPurpose: 'refused' | 'timeout',
  ): void => {
    const api = apiservers.get(c.node)!;
    const done = (t: number, purpose: 'refused' | 'timeout'): void =>
      queue.push(t, { kind: 'done', node: c.node, attempt: c.attempt, ok: false, purpose });
    if (!covers(api.processUp, sendUs)) return done(Math.min(sendUs + model.requestLatencyUs, limitUs), 'refused');
    const timeoutAtUs = Math.min(sendUs + real(c, model.requestTimeoutUs), limitUs);
    const effectUs = firstCovered(api.serving, sendUs, timeoutAtUs - model.requestLatencyUs + 1);
    // The apiserver dying while the request waits resets the connection.
    const diesUs = endOfCover(api.processUp, sendUs);
    if (effectUs === undefined || diesUs < effectUs)
      return done(Math.min(timeoutAtUs, diesUs), failPurpose === 'refused' ? 'refused' : 'timeout');
    queue.push(effectUs, effect(effectUs, effectUs + model.requestLatencyUs));
  };

  const beginTry = (c: Candidate, nowUs: number): void => {
    c.attempt++;
    c.attemptStartUs = nowUs;
    const limitUs = c.mode === 'renew' ? c.iterationDeadlineUs : Number.POSITIVE_INFINITY;
    if (isLeader(c) && leaseValid(c, nowUs)) {
      const record = { holder: c.identity, leaseDurationS: model.leaseDurationS, transitions: c.observed!.transitions };
      const expectVersion = c.observed!.version;
      send(
        c,
        nowUs,
        limitUs,
        (_e, doneUs) => ({
          kind: 'update',
          node: c.node,
          attempt: c.attempt,
          doneUs,
          expectVersion,
          record,
          purpose: 'fast',
        }),
        'timeout',
      );
      return;
    }
    send(c, nowUs, limitUs, (_e, doneUs) => ({ kind: 'get', node: c.node, attempt: c.attempt, doneUs }), 'timeout');
  };

  const startLeading = (c: Candidate, t: number): void => {
    const previous = c.observed?.transitions ?? 0;
    c.mode = 'renew';
    c.leadingSinceUs = t;
    note(t, c.node, `acquired the lease as ${c.identity} (leaderTransitions ${previous})`);
    queue.push(t, { kind: 'iteration', node: c.node, incarnation: c.incarnation });
  };

  const stopLeading = (c: Candidate, t: number, endedBy: LeadershipSpan['endedBy']): void => {
    if (c.leadingSinceUs !== undefined) {
      spans.push({ node: c.node, identity: c.identity, startUs: c.leadingSinceUs, endUs: t, endedBy });
      c.leadingSinceUs = undefined;
    }
  };

  const exitProcess = (c: Candidate, t: number): void => {
    c.up = false;
    c.mode = 'exiting';
    c.attempt++;
    note(t, c.node, 'process exited; kubelet restarts it');
    c.restartPending = true;
    queue.push(t + model.componentRestartDelayUs, { kind: 'start', node: c.node });
  };

  const startProcess = (c: Candidate, t: number): void => {
    c.up = true;
    c.restartPending = false;
    c.incarnation++;
    c.identity = `${c.node}_${c.incarnation}`;
    c.observed = undefined;
    c.observedAtUs = t;
    c.mode = 'acquire';
    note(t, c.node, `started as ${c.identity}; trying to acquire`);
    beginTry(c, t);
  };

  const release = (c: Candidate, t: number, immediate: boolean): void => {
    // release(): Update with an empty holder and LeaseDurationSeconds 1, from the record last observed.
    if (!isLeader(c)) return;
    const api = apiservers.get(c.node)!;
    const record = { holder: '', leaseDurationS: 1, transitions: c.observed!.transitions };
    const expectVersion = c.observed!.version;
    // On a graceful stop the release is the process's last act; a graceful node stop takes the apiserver down at
    // the same instant, but the apiserver drains requests already sent, so the release goes through if the
    // apiserver was serving just before (its millisecond of latency is neglected).
    if (immediate) {
      if (covers(api.serving, t - 1) && lease.version === expectVersion) {
        lease = { ...record, version: lease.version + 1 };
        writes.push({ timeUs: t, holder: '' });
        note(t, c.node, 'released the lease (ReleaseOnCancel)');
      }
      return;
    }
    c.attempt++;
    send(
      c,
      t,
      Number.POSITIVE_INFINITY,
      (_e, doneUs) => ({
        kind: 'update',
        node: c.node,
        attempt: c.attempt,
        doneUs,
        expectVersion,
        record,
        purpose: 'release',
      }),
      'timeout',
    );
  };

  for (let next = queue.pop(); next && next.timeUs < horizonUs; next = queue.pop()) {
    budget.charge(1, leaseElectionDriver);
    const { timeUs: t, event: ev } = next;
    if (ev.kind === 'fault') {
      const c = candidates.get(ev.transition.node)!;
      if (ev.transition.down) {
        c.faultDown++;
        if (c.up) {
          const wasLeading = c.leadingSinceUs !== undefined;
          stopLeading(c, t, ev.transition.graceful ? 'stop' : 'crash');
          if (ev.transition.graceful && releaseOnCancel && wasLeading) release(c, t, true);
          c.up = false;
          c.mode = 'exiting';
          c.attempt++;
          note(t, c.node, ev.transition.graceful ? 'stopped' : 'killed');
        }
      } else {
        c.faultDown = Math.max(0, c.faultDown - 1);
        if (c.faultDown === 0 && !c.up && !c.restartPending) startProcess(c, t);
      }
      continue;
    }
    const c = candidates.get(ev.node)!;
    switch (ev.kind) {
      case 'start':
        c.restartPending = false;
        if (c.faultDown === 0 && !c.up) startProcess(c, t);
        break;
      case 'try':
        if (ev.attempt !== c.attempt || !c.up || c.mode === 'exiting') break;
        beginTry(c, t);
        break;
      case 'iteration': {
        if (ev.incarnation !== c.incarnation || !c.up || c.mode !== 'renew') break;
        c.iteration++;
        c.iterationStartUs = t;
        c.iterationDeadlineUs = t + real(c, model.renewDeadlineUs);
        queue.push(c.iterationDeadlineUs, {
          kind: 'deadline',
          node: c.node,
          iteration: c.iteration,
          incarnation: c.incarnation,
        });
        beginTry(c, t);
        break;
      }
      case 'deadline': {
        if (ev.incarnation !== c.incarnation || ev.iteration !== c.iteration || !c.up || c.mode !== 'renew') break;
        // The iteration did not renew in time: stop leading; in-flight requests are cancelled.
        c.attempt++;
        stopLeading(c, t, 'renew-deadline');
        note(t, c.node, `failed to renew within RenewDeadline: stopped leading`);
        c.mode = 'exiting';
        if (releaseOnCancel && isLeader(c)) {
          release(c, t, false);
          // The process exits once release() returns (OnStoppedLeading runs after renew()).
        } else exitProcess(c, t);
        break;
      }
      case 'get': {
        if (ev.attempt !== c.attempt) break;
        queue.push(ev.doneUs, {
          kind: 'done',
          node: c.node,
          attempt: ev.attempt,
          ok: true,
          snapshot: lease,
          purpose: 'get',
        });
        break;
      }
      case 'update': {
        if (ev.attempt !== c.attempt) break;
        if (lease.version !== ev.expectVersion) {
          queue.push(ev.doneUs, {
            kind: 'done',
            node: c.node,
            attempt: ev.attempt,
            ok: false,
            purpose: ev.purpose === 'release' ? 'release' : ev.purpose === 'fast' ? 'fast' : 'slow',
          });
          break;
        }
        lease = { ...ev.record, version: lease.version + 1 };
        writes.push({ timeUs: t, holder: lease.holder });
        queue.push(ev.doneUs, {
          kind: 'done',
          node: c.node,
          attempt: ev.attempt,
          ok: true,
          snapshot: lease,
          purpose: ev.purpose,
        });
        break;
      }
      case 'done': {
        if (ev.attempt !== c.attempt) break;
        if (c.mode === 'exiting') {
          // Only a release can be outstanding while exiting.
          if (ev.purpose === 'release' && ev.ok) {
            c.observed = ev.snapshot;
            note(t, c.node, 'released the lease (ReleaseOnCancel)');
          }
          if (c.up) exitProcess(c, t);
          break;
        }
        if (ev.purpose === 'fast' && !ev.ok) {
          // "Failed to update lock optimistically, falling back to slow path": Get, within the same try.
          const limitUs = c.mode === 'renew' ? c.iterationDeadlineUs : Number.POSITIVE_INFINITY;
          send(c, t, limitUs, (_e, doneUs) => ({ kind: 'get', node: c.node, attempt: c.attempt, doneUs }), 'timeout');
          break;
        }
        if (ev.purpose === 'get' && ev.snapshot) {
          const snapshot = ev.snapshot;
          if (c.observed?.version !== snapshot.version) {
            c.observed = snapshot;
            c.observedAtUs = t;
          }
          const nowUs = c.attemptStartUs;
          if (snapshot.holder !== '' && leaseValid(c, nowUs) && !isLeader(c)) {
            finishTry(c, t, false);
            break;
          }
          const keep = isLeader(c);
          const record = {
            holder: c.identity,
            leaseDurationS: model.leaseDurationS,
            transitions: keep ? snapshot.transitions : snapshot.transitions + 1,
          };
          const limitUs = c.mode === 'renew' ? c.iterationDeadlineUs : Number.POSITIVE_INFINITY;
          send(
            c,
            t,
            limitUs,
            (_e, doneUs) => ({
              kind: 'update',
              node: c.node,
              attempt: c.attempt,
              doneUs,
              expectVersion: snapshot.version,
              record,
              purpose: 'slow',
            }),
            'timeout',
          );
          break;
        }
        if (ev.ok && ev.snapshot) {
          c.observed = ev.snapshot;
          c.observedAtUs = t;
        }
        finishTry(c, t, ev.ok);
        break;
      }
    }
  }

  function finishTry(c: Candidate, t: number, ok: boolean): void {
    if (c.mode === 'acquire') {
      if (ok) return startLeading(c, t);
      const waitUs = real(c, Math.floor(P * (1 + c.random.nextFloat() * jitterFactor)));
      c.attempt++;
      queue.push(t + waitUs, { kind: 'try', node: c.node, attempt: c.attempt });
      return;
    }
    if (c.mode !== 'renew') return;
    if (ok) {
      c.iteration++; // retires this iteration's deadline
      queue.push(t + real(c, P), { kind: 'iteration', node: c.node, incarnation: c.incarnation });
      return;
    }
    // PollUntilContextTimeout: the next poll at the ticker's next tick (ticks every RetryPeriod from the
    // iteration's start; one missed tick is kept, so a slow try is followed by the next one at once).
    const periodUs = real(c, P);
    const ticksPassed = Math.floor((c.attemptStartUs - c.iterationStartUs) / periodUs) + 1;
    const nextTickUs = c.iterationStartUs + ticksPassed * periodUs;
    const nextUs = Math.max(t, nextTickUs);
    if (nextUs >= c.iterationDeadlineUs) return; // the deadline event ends leadership
    c.attempt++;
    queue.push(nextUs, { kind: 'try', node: c.node, attempt: c.attempt });
  }

  for (const c of candidates.values()) stopLeading(c, horizonUs, 'horizon');
  spans.sort((a, b) => a.startUs - b.startUs || a.node.localeCompare(b.node));
  return { component, spans, overlaps: overlapsOf(spans), writes };
}

function overlapsOf(spans: readonly LeadershipSpan[]): IntervalUs[] {
  const out: IntervalUs[] = [];
  for (let i = 0; i < spans.length; i++)
    for (let j = i + 1; j < spans.length; j++) {
      const startUs = Math.max(spans[i]!.startUs, spans[j]!.startUs);
      const endUs = Math.min(spans[i]!.endUs, spans[j]!.endUs);
      if (startUs < endUs) out.push({ startUs, endUs });
    }
  return out;
}
