/**
 * @module limits
 * Every ceiling on work a request can ask for, in one place, so the documentation, the schemas and the
 * error messages quote the same numbers. Each was chosen so that the worst accepted request stays inside the
 * edge CPU budget (see BENCHMARKS.md).
 */
export const limits = {
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: 64 * 1024,
  /**
   * Deepest nesting of arrays and objects in a request body (the deepest valid request, a simulation of a
   * whole proposal sent over MCP, is under 10). Checked right after parsing, before anything walks the value
   * recursively, so a body nested thousands deep is a clear 400 rather than a stack overflow.
   */
  maxJsonDepth: 32,
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
   * Trials of one POST /v1/simulations. Since follower ticks stopped being events (issue 12), a crash-the-leader
   * trial of 3 members is about 25 events, so 60,000 of them (about 1.5 million events) fit maxSimulationEvents;
   * 5 or more members reach maxSimulationEvents first (about 32,000 trials of 5, 16,000 of 9).
   */
  maxSimulationTrials: 60_000,
  /** Simulated time after the last fault (scenario.horizonMs), and the latest fault moment, in ms. */
  maxSimulationHorizonMs: 120_000,
  /** Faults in one scenario. */
  maxSimulationFaults: 16,
  /**
   * Events one simulation may process over all its trials. The work sweep (BENCHMARKS.md › Work sweep) measured
   * up to 0.5 µs per event for many short crash trials on this project's 2-core machine: on a quiet machine
   * (2026-11-26 17:28, load 0.5) 75,000 trials of 5 members stopped at 2 million events after 990 ms of CPU.
   * 1.5 million keeps every request, refused ones included, near 0.75 s. Checked while running: deterministic,
   * so the same request always passes or fails.
   */
  maxSimulationEvents: 1_500_000,
  /**
   * Events the failover section of one POST /v1/plans may process, over every loss case and both layers (it is on
   * by default, so it gets its own, tighter bound than maxSimulationEvents). Its events are the dearest of any
   * simulation (many short trials, each with its own set-up): the largest plan (9 control-plane nodes and 9
   * external members in 9 zones with 36 distinct RTTs, 27 cases, no two alike) needs about 1.3 million and took
   * 1.4–1.7 s of CPU warm at load 4 on this project's 2-core machine (2026-11-26, after the lazy-tick engine),
   * about 1.2 µs each; 600,000 keeps a section under about 0.75 s. Larger sections are left out (null) unless
   * asked for. Estimated before running, checked while running.
   */
  maxFailoverSectionEvents: 600_000,
  /**
   * Events one control-plane simulation (kind control-plane) may process over all its trials, every layer together
   * (etcd engine, load balancer, apiservers, lease elections; both topologies with compareTopologies). These runs
   * cost about 0.5 µs per event on this project's machine at low load (1.1 µs at load 12), twice an etcd-only
   * simulation's: at maxSimulationEvents a 9-node cluster with a 0.5 s lease retry period would take over 3 s of
   * CPU. A run stopped at 1.2 million events had used 0.8–0.93 s warm at load 4, and the quiet sweep (2026-11-26
   * 17:30) measured 0.88 µs per event for a 3-node run of 642,000 events, so the limit is 800,000 (about 0.7 s).
   * Estimated before running, checked while running (BENCHMARKS.md › Work sweep).
   */
  maxControlPlaneEvents: 800_000,
  /**
   * Trials of one POST /v1/simulations of kind control-plane: each runs the etcd engine and the control-plane
   * layer (about 1,600 engine events and 600 control-plane events for a 3-node cluster and a 30 s horizon, about
   * 0.8 ms of CPU on this project's machine), so 400 trials with `compareTopologies` (both topologies) stay
   * within about one second. maxSimulationEvents bounds the rest.
   */
  maxControlPlaneTrials: 400,
  /**
   * Election-engine trials behind each simulated case of one POST /v1/changes plan (a leadership transfer, a
   * leader removed without one). Cases are cached per plan, so a plan simulates each distinct case once: the
   * largest accepted plan (9 external members all replaced over 9 zones, etcd 3.4 → 3.6) has 27 cases, 540 trials.
   */
  changePlanTrialsPerCase: 20,
  /** Hard cap on events of one trial; a trial that reaches it stops and is reported as truncated. */
  maxSimulationEventsPerTrial: 500_000,
  /** Timeline entries returned for one trial (about 100 bytes each); beyond it the timeline is cut and flagged. */
  maxSimulationTimelineEntries: 5_000,
  /** Trials whose per-trial samples one answer returns (`includeSamples`; about 150 bytes each). */
  maxSimulationSamples: 2_000,
  /** Grid points (heartbeat × election timeout × pre-vote) of one POST /v1/tunings. */
  maxTuningGridPoints: 48,
  /** Leader-crash trials per grid point of a tuning job. */
  maxTuningFailoverTrials: 5_000,
  /** Steady replications (independent draws of tick phases and timeouts) per grid point of a tuning job. */
  maxTuningSteadyReplications: 64,
  /** Steady time simulated directly per replication, in hours (splitting climbs from there). */
  maxTuningSteadyHours: 100,
  /** Restarts per splitting level of one steady replication. */
  maxTuningSplittingEffort: 5_000,
  /**
   * Leader-crash trials in one Workflow step (one invocation): with maxTuningEventsPerStep it keeps every
   * step near a second of CPU, far inside a Workflow step's CPU limit.
   */
  tuningFailoverTrialsPerStep: 250,
  /** Simulation events one step may process; a steady replication that reaches it stops and says so. */
  maxTuningEventsPerStep: 3_000_000,
  /** Steps a tuning job runs at once (Promise.all inside the Workflow, threads in the Node pool). */
  tuningParallelSteps: 4,
  /**
   * Tuning jobs the Node server holds unfinished (queued or running) at once. Its worker threads run one step
   * at a time each and a job is hundreds to thousands of steps, so more jobs would only wait, in memory; beyond
   * this POST /v1/tunings answers 503 with Retry-After (tuningRetryAfterS). On Cloudflare each job is its own
   * Workflow instance, bounded by the platform's instance limits instead.
   */
  maxQueuedTuningJobs: 8,
  /** Seconds a refused POST /v1/tunings is told to wait (Retry-After) when maxQueuedTuningJobs are unfinished. */
  tuningRetryAfterS: 60,
  /** How long a tuning job and its answer are kept, in seconds (7 days); GET then answers 404. */
  tuningRetentionS: 7 * 24 * 3600,
  /**
   * Characters of the `q` parameter of a GET chart URL (the request, compressed and base64url encoded). Many
   * proxies refuse URLs beyond 8 KB; a named 9-node proposal with every zone RTT encodes to about 1.5 KB.
   * The inflated JSON is held to maxBodyBytes like a POST body.
   */
  maxChartQueryChars: 8_000,
} as const;

export type LimitName = keyof typeof limits;
