/**
 * @module simulation/raft-invariants
 * Raft's election safety, checked as a trial runs: at most one leader per term; a leader holds a majority of
 * its term's votes (as persisted by the voters); a member votes once per term; a learner never votes or
 * leads. A breach throws InvariantViolation naming the seed and trial, so the run can be replayed.
 */
import { InvariantViolation } from './trial-types.js';

export class RaftInvariants {
  private readonly leaderOfTerm: Map<number, number> = new Map();
  /** Vote per (term, voter), keyed term * 64 + voter (members fit in 5 bits). */
  private readonly votedFor: Map<number, number> = new Map();
  /** Named in violations so a failing run can be replayed. */
  seed: number | undefined;
  trialIndex: number | undefined;

  constructor(
    private readonly names: readonly string[],
    private readonly learner: Uint8Array,
    private readonly voterIds: Int32Array,
    private readonly quorum: number,
  ) {}

  reset(seed: number | undefined, trialIndex: number | undefined): void {
    this.leaderOfTerm.clear();
    this.votedFor.clear();
    this.seed = seed;
    this.trialIndex = trialIndex;
  }

  /** A steady start: `leader` leads `term`, elected by every voter. */
  assumeElected(term: number, leader: number): void {
    this.leaderOfTerm.set(term, leader);
    for (const v of this.voterIds) this.votedFor.set(term * 64 + v, leader);
  }

  hasLeader(term: number): boolean {
    return this.leaderOfTerm.has(term);
  }

  noteLeader(term: number, i: number): void {
    if (this.learner[i]) this.violation(`learner ${this.names[i]} became leader in term ${term}`);
    const existing = this.leaderOfTerm.get(term);
    if (existing !== undefined && existing !== i)
      this.violation(`two leaders in term ${term}: ${this.names[existing]} and ${this.names[i]}`);
    let votes = 0;
    for (const v of this.voterIds) if (this.votedFor.get(term * 64 + v) === i) votes++;
    if (votes < this.quorum)
      this.violation(`${this.names[i]} became leader of term ${term} with ${votes} votes, quorum is ${this.quorum}`);
    this.leaderOfTerm.set(term, i);
  }

  noteVote(term: number, voter: number, candidate: number): void {
    if (this.learner[voter]) this.violation(`learner ${this.names[voter]} voted in term ${term}`);
    const key = term * 64 + voter;
    const previous = this.votedFor.get(key);
    if (previous !== undefined && previous !== candidate) {
      this.violation(
        `${this.names[voter]} voted twice in term ${term}: for ${this.names[previous]} and ${this.names[candidate]}`,
      );
    }
    this.votedFor.set(key, candidate);
  }

  private violation(message: string): never {
    throw new InvariantViolation(message, this.seed, this.trialIndex);
  }
}
