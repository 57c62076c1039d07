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
  /**
   * Control-plane nodes in a proposal. With maxEtcdMembers this bounds the hosts (18, external) whose
   * failure sets the planner enumerates exactly: every capability needs an etcd quorum, so with at most 9
   * voters no set larger than 5 hosts needs checking, C(18, ≤5) = 12,616 sets at most.
   */
  maxControlPlaneNodes: 9,
  /** etcd members (voters and learners) of an external cluster. */
  maxEtcdMembers: 9,
  /** Zones in `controlPlane.zones`, and zones a recommendation request may offer. */
  maxZones: 9,
  /** Entries of `network.zoneRttMs`: one per unordered zone pair, including a zone with itself (9·10/2). */
  maxZoneRttEntries: 45,
  /** Characters in a node, member or zone name (a DNS label is at most 63). */
  maxNameLength: 63,
  /** Largest round-trip time accepted anywhere, in ms (US–Japan is 350–400 ms). */
  maxRttMs: 10_000,
  /** Largest etcd heartbeat or election timeout accepted, in ms; etcd itself rejects elections above 50,000. */
  maxEtcdTimingMs: 600_000,
  /** Largest fsync delay accepted, in ms. */
  maxDiskSyncMs: 1_000,
  /** Largest leader-election duration (lease, renew deadline, retry period) accepted, in s. */
  maxLeaderElectionS: 3_600,
  /** Largest load-balancer health-check interval or timeout accepted, in s. */
  maxHealthCheckS: 3_600,
  /** Largest healthy/unhealthy threshold of the load balancer's health checks. */
  maxHealthCheckThreshold: 100,
  /** Members (voters and learners) of a simulated cluster: etcd's own advice is at most 7 voters. */
  maxSimulationMembers: 9,
  /**
   * Trials of one POST /v1/simulations. 30,000 crash-the-leader trials of 5 members with etcd defaults are
   * about 2.9 million events, inside maxSimulationEvents, and took 0.5-0.6 s of CPU at load 25 on this
   * 2-core machine (BENCHMARKS.md); heavier trials hit maxSimulationEvents first.
   */
  maxSimulationTrials: 30_000,
  /** Simulated time after the last fault (scenario.horizonMs), and the latest fault moment, in ms. */
  maxSimulationHorizonMs: 120_000,
  /** Faults in one scenario. */
  maxSimulationFaults: 16,
  /**
   * Events one simulation may process over all its trials. Measured on this project's 2-core machine: about
   * 3.5 million events per second for 9 members (a warm engine), so the worst accepted request stays around
   * one second of CPU. Checked while running: deterministic, so the same request always passes or fails.
   */
  maxSimulationEvents: 3_000_000,
  /**
   * Trials of one POST /v1/simulations of kind control-plane: each runs the etcd engine and the control-plane
   * layer (about 2,000 events together for a 3-node cluster and a 30 s horizon), so fewer than the etcd kind.
   */
  maxControlPlaneTrials: 1_000,
  /** Hard cap on events of one trial; a trial that reaches it stops and is reported as truncated. */
  maxSimulationEventsPerTrial: 500_000,
  /** Timeline entries returned for one trial (about 100 bytes each); beyond it the timeline is cut and flagged. */
  maxSimulationTimelineEntries: 5_000,
  /** Trials whose per-trial samples one answer returns (`includeSamples`; about 150 bytes each). */
  maxSimulationSamples: 2_000,
} as const;

export type LimitName = keyof typeof limits;
