/**
 * @module limits
 * Every ceiling on work a request can ask for, in one place, so the documentation, the schemas and the
 * error messages quote the same numbers. Each was chosen so that the worst accepted request stays inside the
 * edge CPU budget (see BENCHMARKS.md).
 */
export const limits = {
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: 64 * 1024,
  /** Largest cluster size in the quorum table. */
  maxQuorumTableSize: 101,
  /** Largest voter count the quorum endpoint accepts. */
  maxQuorumVoters: 1001,
  /** Largest learner count the quorum endpoint accepts. */
  maxQuorumLearners: 100,
} as const;

export type LimitName = keyof typeof limits;

/** The phrase an error message uses to name a limit, e.g. "the limit maxBodyBytes = 65536". */
export function limitPhrase(name: LimitName): string {
  return `the limit ${name} = ${limits[name]}`;
}
