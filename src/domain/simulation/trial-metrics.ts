/**
 * @module simulation/trial-metrics
 * The metrics observer: counts, from the first fault until the new leader, the pre-vote and election rounds
 * and the candidates per term (split votes), and notes the new leader; turns them into TrialMetrics.
 */
import type { RaftInvariants } from './raft-invariants.js';
import type { TrialMetrics } from './trial-types.js';

export class TrialMetricsObserver {
  /** When the first fault happened (a bootstrap: the cluster's start); −1 before it. */
  firstFaultUs = -1;
  termAtFault = 0;
  newLeaderUs = -1;
  newLeader = -1;
  newLeaderTerm = 0;
  allKnowUs = -1;
  electionRounds = 0;
  preVoteRounds = 0;
  /** Candidates per term, indexed from the trial's lowest starting term (typed: no allocation per trial). */
  private candidatesPerTerm = new Int32Array(64);
  private baseTerm = 0;
  /** Term offsets with a candidate in this trial, each once (the only ones reset clears and finish reads). */
  private readonly usedTerms: number[] = [];

  reset(lowestTerm = 0): void {
    for (const k of this.usedTerms) this.candidatesPerTerm[k] = 0;
    this.usedTerms.length = 0;
    this.baseTerm = lowestTerm;
    this.firstFaultUs = -1;
    this.termAtFault = 0;
    this.newLeaderUs = -1;
    this.newLeader = -1;
    this.newLeaderTerm = 0;
    this.allKnowUs = -1;
    this.electionRounds = 0;
    this.preVoteRounds = 0;
  }

  /** Between the first fault and the new leader: the window the metrics describe. */
  private counting(): boolean {
    return this.firstFaultUs >= 0 && this.newLeaderUs < 0;
  }

  becamePreCandidate(): void {
    if (this.counting()) this.preVoteRounds++;
  }

  becameCandidate(term: number): void {
    if (!this.counting()) return;
    this.electionRounds++;
    const k = term - this.baseTerm;
    if (k >= this.candidatesPerTerm.length) {
      const grown = new Int32Array(Math.max(k + 1, this.candidatesPerTerm.length * 2));
      grown.set(this.candidatesPerTerm);
      this.candidatesPerTerm = grown;
    }
    if (this.candidatesPerTerm[k] === 0) this.usedTerms.push(k);
    this.candidatesPerTerm[k]!++;
  }

  becameLeader(member: number, term: number, nowUs: number): void {
    if (!this.counting()) return;
    this.newLeaderUs = nowUs;
    this.newLeader = member;
    this.newLeaderTerm = term;
  }

  finish(
    names: readonly string[],
    invariants: RaftInvariants,
    facts: { stopUs: number; unavailableUs: number; events: number; truncated: boolean },
  ): TrialMetrics {
    const faultAt = Math.max(this.firstFaultUs, 0);
    let splitVotes = 0;
    let failedElections = 0;
    for (const k of this.usedTerms) {
      const count = this.candidatesPerTerm[k]!;
      const term = this.baseTerm + k;
      if (this.newLeaderUs >= 0 && term >= this.newLeaderTerm) continue;
      if (invariants.hasLeader(term)) continue;
      failedElections++;
      if (count >= 2) splitVotes++;
    }
    return {
      faultAtUs: faultAt,
      newLeaderAfterUs: this.newLeaderUs >= 0 ? this.newLeaderUs - faultAt : null,
      allKnowAfterUs: this.allKnowUs >= 0 ? this.allKnowUs - faultAt : null,
      unavailableUs: facts.unavailableUs,
      newLeader: this.newLeader >= 0 ? names[this.newLeader]! : null,
      newLeaderTerm: this.newLeader >= 0 ? this.newLeaderTerm : null,
      electionRounds: this.electionRounds,
      preVoteRounds: this.preVoteRounds,
      splitVotes,
      failedElections,
      termsUsed: this.newLeader >= 0 ? this.newLeaderTerm - this.termAtFault : null,
      endUs: facts.stopUs,
      events: facts.events,
      truncated: facts.truncated,
    };
  }
}
