/**
 * @module simulation/control-plane/lease-election
 * The harness around client-go's leader election for one component (kube-controller-manager or
 * kube-scheduler): one LeaseCandidate state machine per live process (lease-candidate.ts), the Lease in a
 * LeaseStore (lease-store.ts), and what lies between and around them:
 *
 * - transport: every request goes through the node's local apiserver: refused at once while that apiserver's
 *   process is down; otherwise it takes effect when the apiserver's etcd path first commits, if that is within
 *   the request timeout (RenewDeadline/2, at least 1 s, on the node's clock) and the caller's deadline, and
 *   completes requestLatency later; the apiserver dying while a request waits resets the connection;
 * - processes: faults kill or stop them; a process that exits (lost leadership) is restarted by kubelet after
 *   componentRestartDelay as a new identity (node_incarnation), unless a fault still holds it down;
 * - observers: leadership spans, dual leadership, committed writes, and the timeline, the only place where
 *   a candidate's transitions become text.
 */
import { covers, type IntervalUs } from '../availability.js';
import { EventQueue } from '../event-queue.js';
import type { Random } from '../../random.js';
import type { ApiserverState } from './apiserver.js';
import { endOfCover, firstCovered } from './intervals.js';
import {
  type CandidateOutput,
  type CandidateTimer,
  LeaseCandidate,
  type LeaseReply,
  type LeaseRequest,
  LocalClock,
  type StoppedLeadingReason,
} from './lease-candidate.js';
import { LeaseStore, type LeaseWrite } from './lease-store.js';
import { drawBelow, jitterFactor, type ControlPlaneModel, type LeaseComponent } from './model.js';
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
  endedBy: StoppedLeadingReason | 'horizon';
}

export interface LeaseElectionResult {
  component: LeaseComponent;
  spans: LeadershipSpan[];
  /** Moments when more than one process believed it led (possible with clock-rate skew or long latencies). */
  overlaps: IntervalUs[];
  /** Every committed write of the lease record: when it took effect in etcd, and the holder it wrote ('' = released). */
  writes: LeaseWrite[];
}

export interface LeaseElectionInput {
  model: ControlPlaneModel;
  component: LeaseComponent;
  apiservers: Map<string, ApiserverState>;
  transitions: readonly ProcessTransition[];
  initialHolder: string;
  /** One independent stream per candidate node (kept across its restarts). */
  randomFor: (node: string) => Random;
  horizonUs: number;
  timeline: TimelineEntry[];
  /** Charged one event per event processed. Default: unlimited. */
  budget?: WorkBudget;
}

type HarnessEvent =
  | { kind: 'fault'; transition: ProcessTransition }
  | { kind: 'restart'; node: string }
  | { kind: 'timer'; slot: ProcessSlot; candidate: LeaseCandidate; timer: CandidateTimer }
  | {
      kind: 'apply';
      slot: ProcessSlot;
      candidate: LeaseCandidate;
      attempt: number;
      request: LeaseRequest;
      doneUs: number;
    }
  | {
      kind: 'reply';
      slot: ProcessSlot;
      candidate: LeaseCandidate;
      attempt: number;
      request: LeaseRequest;
      reply: LeaseReply;
    };

/** A node's process slot: the live candidate (if any) and what holds it down. */
interface ProcessSlot {
  node: string;
  clock: LocalClock;
  random: Random;
  candidate: LeaseCandidate | undefined;
  incarnation: number;
  /** Faults currently holding the process down (overlapping faults stack). */
  faultDown: number;
  restartPending: boolean;
  leadingSinceUs: number | undefined;
}

export function simulateLeaseElection(input: LeaseElectionInput): LeaseElectionResult {
  return new LeaseElectionHarness(input).run();
}

class LeaseElectionHarness {
  private readonly queue = new EventQueue<HarnessEvent>();
  private readonly slots = new Map<string, ProcessSlot>();
  private readonly spans: LeadershipSpan[] = [];
  private readonly store: LeaseStore;
  private readonly budget: WorkBudget;
  private readonly settings;

  constructor(private readonly input: LeaseElectionInput) {
    const { model } = input;
    this.budget = input.budget ?? WorkBudget.unlimited();
    this.settings = {
      leaseDurationS: model.leaseDurationS,
      renewDeadlineUs: model.renewDeadlineUs,
      retryPeriodUs: model.retryPeriodUs,
      releaseOnCancel: input.component === 'kube-scheduler',
    };
    this.store = new LeaseStore({ version: 1, holder: '', leaseDurationS: model.leaseDurationS, transitions: 0 });
    for (const n of model.nodes)
      this.slots.set(n.name, {
        node: n.name,
        clock: new LocalClock(n.clockRate),
        random: input.randomFor(n.name),
        candidate: undefined,
        incarnation: 0,
        faultDown: 0,
        restartPending: false,
        leadingSinceUs: undefined,
      });
  }

  run(): LeaseElectionResult {
    const { horizonUs } = this.input;
    this.steadyStart();
    for (const t of this.input.transitions) this.queue.push(t.timeUs, { kind: 'fault', transition: t });
    for (let next = this.queue.pop(); next && next.timeUs < horizonUs; next = this.queue.pop()) {
      this.budget.charge(1, leaseElectionDriver);
      this.step(next.timeUs, next.event);
    }
    for (const slot of this.slots.values()) this.stopLeading(slot, horizonUs, 'horizon');
    this.spans.sort((a, b) => a.startUs - b.startUs || a.node.localeCompare(b.node));
    return {
      component: this.input.component,
      spans: this.spans,
      overlaps: overlapsOf(this.spans),
      writes: this.store.writes,
    };
  }

  /** The warm-up's start: the initial holder leads and has just renewed; the others try at random phases. */
  private steadyStart(): void {
    const startUs = -this.input.model.warmupUs;
    const periodUs = this.input.model.retryPeriodUs;
    for (const slot of this.slots.values()) {
      const candidate = this.spawn(slot);
      if (slot.node === this.input.initialHolder) {
        const record = { ...this.store.get(), holder: candidate.identity };
        // The record as if just written, without logging a write: the steady state before the warm-up.
        this.store.reset(record);
        slot.leadingSinceUs = startUs;
        candidate.startLeading(record, startUs, startUs + drawBelow(slot.random, periodUs));
      } else {
        candidate.startAcquiring(startUs + drawBelow(slot.random, Math.round(periodUs * (1 + jitterFactor))));
      }
      this.drain(slot, candidate, startUs);
    }
  }

  private spawn(slot: ProcessSlot): LeaseCandidate {
    slot.incarnation++;
    slot.candidate = new LeaseCandidate(`${slot.node}_${slot.incarnation}`, slot.clock, slot.random, this.settings);
    return slot.candidate;
  }

  private step(t: number, ev: HarnessEvent): void {
    switch (ev.kind) {
      case 'fault':
        return this.fault(t, ev.transition);
      case 'restart': {
        const slot = this.slots.get(ev.node)!;
        slot.restartPending = false;
        if (slot.faultDown === 0 && slot.candidate === undefined) this.startProcess(slot, t);
        return;
      }
      case 'timer':
        ev.candidate.fire(t, ev.timer);
        return this.drain(ev.slot, ev.candidate, t);
      case 'apply':
        return this.apply(t, ev);
      case 'reply':
        ev.candidate.receive(t, ev.attempt, ev.request, ev.reply);
        return this.drain(ev.slot, ev.candidate, t);
    }
  }

  private fault(t: number, transition: ProcessTransition): void {
    const slot = this.slots.get(transition.node)!;
    if (!transition.down) {
      slot.faultDown = Math.max(0, slot.faultDown - 1);
      if (slot.faultDown === 0 && slot.candidate === undefined && !slot.restartPending) this.startProcess(slot, t);
      return;
    }
    slot.faultDown++;
    const candidate = slot.candidate;
    if (!candidate) return;
    const wasLeading = candidate.mode === 'renew';
    const release = candidate.releaseRequest();
    candidate.kill(transition.graceful);
    this.drain(slot, candidate, t);
    slot.candidate = undefined;
    // On a graceful stop the release is the process's last act; a graceful node stop takes the apiserver down
    // at the same instant, but the apiserver drains requests already sent, so the release goes through if the
    // apiserver was serving just before (its millisecond of latency is neglected).
    if (transition.graceful && this.settings.releaseOnCancel && wasLeading && release?.kind === 'update') {
      const api = this.input.apiservers.get(slot.node)!;
      if (covers(api.serving, t - 1) && this.store.update(t, release.expectVersion, release.record))
        this.note(t, slot.node, 'released the lease (ReleaseOnCancel)');
    }
    this.note(t, slot.node, transition.graceful ? 'stopped' : 'killed');
  }

  private startProcess(slot: ProcessSlot, t: number): void {
    slot.restartPending = false;
    const candidate = this.spawn(slot);
    this.note(t, slot.node, `started as ${candidate.identity}; trying to acquire`);
    candidate.start(t);
    this.drain(slot, candidate, t);
  }

  /** Carries out what the candidate asked for, in order. */
  private drain(slot: ProcessSlot, candidate: LeaseCandidate, t: number): void {
    // Carrying out never steps the candidate again, so the outbox cannot grow meanwhile.
    const outbox = candidate.outbox;
    for (let i = 0; i < outbox.length; i++) this.carryOut(slot, candidate, t, outbox[i]!);
    outbox.length = 0;
  }

  private carryOut(slot: ProcessSlot, candidate: LeaseCandidate, t: number, out: CandidateOutput): void {
    switch (out.kind) {
      case 'timer':
        return this.queue.push(out.atUs, { kind: 'timer', slot, candidate, timer: out.timer });
      case 'send':
        return this.send(slot, candidate, t, out.attempt, out.request, out.limitUs);
      case 'acquired':
        slot.leadingSinceUs = t;
        return this.note(
          t,
          slot.node,
          `acquired the lease as ${candidate.identity} (leaderTransitions ${out.leaderTransitions})`,
        );
      case 'stopped-leading':
        this.stopLeading(slot, t, out.reason);
        if (out.reason === 'renew-deadline')
          this.note(t, slot.node, 'failed to renew within RenewDeadline: stopped leading');
        return;
      case 'released':
        return this.note(t, slot.node, 'released the lease (ReleaseOnCancel)');
      case 'exited':
        slot.candidate = undefined;
        slot.restartPending = true;
        this.note(t, slot.node, 'process exited; kubelet restarts it');
        return this.queue.push(t + this.input.model.componentRestartDelayUs, { kind: 'restart', node: slot.node });
    }
  }

  /** The transport: through the node's apiserver to etcd, or a failure the client sees. */
  private send(
    slot: ProcessSlot,
    candidate: LeaseCandidate,
    sendUs: number,
    attempt: number,
    request: LeaseRequest,
    limitUs: number,
  ): void {
    const { model } = this.input;
    const api = this.input.apiservers.get(slot.node)!;
    const fail = (atUs: number): void =>
      this.queue.push(atUs, {
        kind: 'reply',
        slot,
        candidate,
        attempt,
        request,
        reply: { ok: false, conflict: false },
      });
    // Connection refused: answered at once.
    if (!covers(api.processUp, sendUs)) return fail(Math.min(sendUs + model.requestLatencyUs, limitUs));
    const timeoutAtUs = Math.min(sendUs + slot.clock.realUs(model.requestTimeoutUs), limitUs);
    const effectUs = firstCovered(api.serving, sendUs, timeoutAtUs - model.requestLatencyUs + 1);
    // The apiserver dying while the request waits resets the connection.
    const diesUs = endOfCover(api.processUp, sendUs);
    if (effectUs === undefined || diesUs < effectUs) return fail(Math.min(timeoutAtUs, diesUs));
    const doneUs = effectUs + model.requestLatencyUs;
    this.queue.push(effectUs, { kind: 'apply', slot, candidate, attempt, request, doneUs });
  }

  /** A request reaches etcd: a read or a write of the lease, unless the client already gave up on it. */
  private apply(t: number, ev: Extract<HarnessEvent, { kind: 'apply' }>): void {
    if (!ev.candidate.isCurrent(ev.attempt)) return;
    const { request } = ev;
    const record =
      request.kind === 'get' ? this.store.get() : this.store.update(t, request.expectVersion, request.record);
    const reply: LeaseReply = record ? { ok: true, record } : { ok: false, conflict: true };
    this.queue.push(ev.doneUs, { ...ev, kind: 'reply', reply });
  }

  private stopLeading(slot: ProcessSlot, t: number, endedBy: LeadershipSpan['endedBy']): void {
    if (slot.leadingSinceUs === undefined) return;
    const identity = `${slot.node}_${slot.incarnation}`;
    this.spans.push({ node: slot.node, identity, startUs: slot.leadingSinceUs, endUs: t, endedBy });
    slot.leadingSinceUs = undefined;
  }

  private note(timeUs: number, node: string, text: string): void {
    if (timeUs >= 0) this.input.timeline.push({ timeUs, layer: this.input.component, subject: node, text });
  }
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
