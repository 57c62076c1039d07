/**
 * @module simulation/raft-invariants
 * Raft's election safety, checked as a trial runs: at most one leader per term; a leader holds a majority of
 * its term's votes (as persisted by the voters); a member votes once per term; a learner never votes or
 * leads. A breach throws InvariantViolation naming the seed and trial, so the run can be replayed.
 *
 * Votes and leaders are kept per term in typed arrays indexed from the trial's lowest starting term (every
 * vote and every leadership happens at or above it), so the checks allocate nothing on the hot path. A trial
 * clears only the terms it touched: members may start a million terms apart (`memberLogs`), and clearing every
 * term in between after each trial cost seconds per request (issue 14's work sweep found it).
 */
import { InvariantViolation } from './trial-types.js';

/** Members fit in 5 bits (maxSimMembers = 31): a term's votes take 32 slots. */
const slotsPerTerm = 32;

export class RaftInvariants {
  /** votedFor[(term − baseTerm) × 32 + voter] = candidate, −1 none. */
  private votedFor = new Int8Array(64 * slotsPerTerm).fill(-1);
  /** leaderOfTerm[term − baseTerm] = leader, −1 none. */
  private leaderOfTerm = new Int8Array(64).fill(-1);
  private baseTerm = 0;
  /** Term offsets written in this trial (what reset must clear), each once: `isTouched` marks them. */
  private readonly touched: number[] = [];
  private isTouched = new Uint8Array(64);
  /** Named in violations so a failing run can be replayed. */
  seed: number | undefined;
  trialIndex: number | undefined;

  constructor(
    private readonly names: readonly string[],
    private readonly learner: Uint8Array,
    private readonly voterIds: Int32Array,
    private readonly quorum: number,
  ) {}

  /** A new trial whose members start at `lowestTerm` or above. */
  reset(seed: number | undefined, trialIndex: number | undefined, lowestTerm = 0): void {
    for (const k of this.touched) {
      this.votedFor.fill(-1, k * slotsPerTerm, (k + 1) * slotsPerTerm);
      this.leaderOfTerm[k] = -1;
      this.isTouched[k] = 0;
    }
    this.touched.length = 0;
    this.baseTerm = lowestTerm;
    this.seed = seed;
    this.trialIndex = trialIndex;
  }

  /** The offset of `term`, growing the arrays when needed. */
  private offset(term: number): number {
    const k = term - this.baseTerm;
    if (k < 0) throw new RangeError(`term ${term} below the trial's lowest term ${this.baseTerm}`);
    if (k >= this.leaderOfTerm.length) {
      const size = Math.max(k + 1, this.leaderOfTerm.length * 2);
      const votes = new Int8Array(size * slotsPerTerm).fill(-1);
      votes.set(this.votedFor);
      this.votedFor = votes;
      const leaders = new Int8Array(size).fill(-1);
      leaders.set(this.leaderOfTerm);
      this.leaderOfTerm = leaders;
      const marks = new Uint8Array(size);
      marks.set(this.isTouched);
      this.isTouched = marks;
    }
    if (this.isTouched[k] === 0) {
      this.isTouched[k] = 1;
      this.touched.push(k);
    }
    return k;
  }

  /** A steady start: `leader` leads `term`, elected by every voter. */
  assumeElected(term: number, leader: number): void {
    const k = this.offset(term);
    this.leaderOfTerm[k] = leader;
    for (const v of this.voterIds) this.votedFor[k * slotsPerTerm + v] = leader;
  }

  hasLeader(term: number): boolean {
    const k = term - this.baseTerm;
    return k >= 0 && k < this.leaderOfTerm.length && this.leaderOfTerm[k]! >= 0;
  }

  noteLeader(term: number, i: number): void {
    if (this.learner[i]) this.violation(`learner ${this.names[i]} became leader in term ${term}`);
    const k = this.offset(term);
    const existing = this.leaderOfTerm[k]!;
    if (existing >= 0 && existing !== i)
      this.violation(`two leaders in term ${term}: ${this.names[existing]} and ${this.names[i]}`);
    let votes = 0;
    for (const v of this.voterIds) if (this.votedFor[k * slotsPerTerm + v] === i) votes++;
    if (votes < this.quorum)
      this.violation(`${this.names[i]} became leader of term ${term} with ${votes} votes, quorum is ${this.quorum}`);
    this.leaderOfTerm[k] = i;
  }

  noteVote(term: number, voter: number, candidate: number): void {
    if (this.learner[voter]) this.violation(`learner ${this.names[voter]} voted in term ${term}`);
    const slot = this.offset(term) * slotsPerTerm + voter;
    const previous = this.votedFor[slot]!;
    if (previous >= 0 && previous !== candidate) {
      this.violation(
        `${this.names[voter]} voted twice in term ${term}: for ${this.names[previous]} and ${this.names[candidate]}`,
      );
    }
    this.votedFor[slot] = candidate;
  }

  private violation(message: string): never {
    throw new InvariantViolation(message, this.seed, this.trialIndex);
  }
}
