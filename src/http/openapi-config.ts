/**
 * @module openapi-config
 * The document-level parts of the OpenAPI description: everything that is not generated from a route.
 */
import { limits } from './limits.js';

export const apiVersion = '0.1.0';

function limitsTable(): string {
  return [
    '| limit | value | applies to |',
    '| --- | --- | --- |',
    `| maxBodyBytes | ${limits.maxBodyBytes} | every request body (413 beyond it) |`,
    `| maxJsonDepth | ${limits.maxJsonDepth} | nesting of arrays and objects in a request body (MCP: in the whole JSON-RPC message) |`,
    `| maxQuorumVoters | ${limits.maxQuorumVoters} | \`voters\` of GET /v1/quorum |`,
    `| maxQuorumLearners | ${limits.maxQuorumLearners} | \`learners\` and \`maxLearners\` of GET /v1/quorum |`,
    `| maxQuorumTableSize | ${limits.maxQuorumTableSize} | \`max\` of GET /v1/quorum/table |`,
    `| maxControlPlaneNodes | ${limits.maxControlPlaneNodes} | \`controlPlane.nodes\` (count or list) of a proposal |`,
    `| maxEtcdMembers | ${limits.maxEtcdMembers} | \`etcd.members\` (count or list, learners included) and \`etcd.maxLearners\` |`,
    `| maxZones | ${limits.maxZones} | \`controlPlane.zones\`, and the zones of a recommendation request |`,
    `| maxZoneRttEntries | ${limits.maxZoneRttEntries} | \`network.zoneRttMs\` entries |`,
    `| maxNameLength | ${limits.maxNameLength} | node, member and zone names |`,
    `| maxRttMs | ${limits.maxRttMs} | every round-trip time, in ms |`,
    `| maxEtcdTimingMs | ${limits.maxEtcdTimingMs} | etcd heartbeat and election timeout, in ms |`,
    `| maxDiskSyncMs | ${limits.maxDiskSyncMs} | \`etcd.diskSyncMs\` |`,
    `| maxLeaderElectionS | ${limits.maxLeaderElectionS} | \`leaderElection.*\`, in s |`,
    `| maxHealthCheckS | ${limits.maxHealthCheckS} | load-balancer health-check interval and timeout, in s |`,
    `| maxHealthCheckThreshold | ${limits.maxHealthCheckThreshold} | load-balancer healthy/unhealthy thresholds |`,
    `| maxSimulationMembers | ${limits.maxSimulationMembers} | etcd members (voters and learners) of POST /v1/simulations |`,
    `| maxSimulationTrials | ${limits.maxSimulationTrials} | \`trials\` of POST /v1/simulations |`,
    `| changePlanTrialsPerCase | ${limits.changePlanTrialsPerCase} | election-engine trials behind each simulated case of POST /v1/changes (fixed, not a request field) |`,
    `| maxControlPlaneTrials | ${limits.maxControlPlaneTrials} | \`trials\` of POST /v1/simulations with \`kind: "control-plane"\` |`,
    `| maxSimulationHorizonMs | ${limits.maxSimulationHorizonMs} | \`scenario.horizonMs\` and every fault time, in ms |`,
    `| maxSimulationFaults | ${limits.maxSimulationFaults} | \`scenario.faults\` |`,
    `| maxSimulationEvents | ${limits.maxSimulationEvents} | simulated events over all trials of one simulation (checked while running) |`,
    `| maxFailoverSectionEvents | ${limits.maxFailoverSectionEvents} | simulated events of the failover section of one POST /v1/plans, every loss case and layer (estimated before, checked while running) |`,
    `| maxSimulationEventsPerTrial | ${limits.maxSimulationEventsPerTrial} | simulated events of one trial (the trial stops, reported as truncated) |`,
    `| maxSimulationTimelineEntries | ${limits.maxSimulationTimelineEntries} | timeline entries returned for one trial (cut and flagged beyond) |`,
    `| maxSimulationSamples | ${limits.maxSimulationSamples} | trials whose per-trial samples one answer returns (\`includeSamples\`) |`,
    `| maxTuningGridPoints | ${limits.maxTuningGridPoints} | grid points (heartbeats × election timeouts × pre-vote) of POST /v1/tunings |`,
    `| maxTuningFailoverTrials | ${limits.maxTuningFailoverTrials} | \`failoverTrials\` per grid point of POST /v1/tunings |`,
    `| maxTuningSteadyReplications | ${limits.maxTuningSteadyReplications} | \`steadyReplications\` per grid point of POST /v1/tunings |`,
    `| maxTuningSteadyHours | ${limits.maxTuningSteadyHours} | \`steadyHoursPerReplication\` of POST /v1/tunings, in hours |`,
    `| maxTuningSplittingEffort | ${limits.maxTuningSplittingEffort} | \`splittingEffort\` (restarts per splitting level) of POST /v1/tunings |`,
    `| tuningFailoverTrialsPerStep | ${limits.tuningFailoverTrialsPerStep} | leader-crash trials in one Workflow step (fixed, not a request field) |`,
    `| maxTuningEventsPerStep | ${limits.maxTuningEventsPerStep} | simulated events of one tuning step (a steady replication stops there, flagged truncated) |`,
    `| tuningParallelSteps | ${limits.tuningParallelSteps} | steps a tuning job runs at once (fixed) |`,
    `| tuningRetentionS | ${limits.tuningRetentionS} | seconds a tuning job and its answer are kept (then 404) |`,
    `| maxChartQueryChars | ${limits.maxChartQueryChars} | \`q\` of GET /charts/plan.svg and /charts/simulation.svg (inflated: maxBodyBytes) |`,
  ].join('\n');
}

// Marked pure: the Worker serves the document generated at build time, and esbuild leaves out an unused
// value only when told that computing it has no effects.
export const openApiConfig = /* @__PURE__ */ documentConfig();

function documentConfig() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Quorum Planner API',
      version: apiVersion,
      description:
        'Plans Kubernetes control planes and their etcd clusters: quorum and tolerable failures, stacked vs external etcd, ' +
        'ready-to-use configuration, and simulated failover timelines from a deterministic election engine.\n\n' +
        'Every error is RFC 9457 `application/problem+json`; validation errors list each offending field as a JSON pointer ' +
        '(or a query parameter name). Answers are deterministic: the same request gives byte-identical bytes.\n\n' +
        '## Limits\n\n' +
        limitsTable(),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // The first server is relative, so "try it" in a deployed /docs calls that deployment, not localhost.
    servers: [
      { url: '.', description: 'The deployment serving this document' },
      { url: 'http://127.0.0.1:8787', description: 'Local `wrangler dev`' },
    ],
    tags: [
      { name: 'Quorum', description: 'Majority arithmetic for etcd voters; learners excluded.' },
      {
        name: 'Planning',
        description: 'Proposed control planes: failure domains, stacked vs external, recommendations.',
      },
      {
        name: 'Configuration',
        description: 'Flags, procedures and kubeadm configuration for a proposed cluster, with timing validation.',
      },
      {
        name: 'Changes',
        description: 'Safe step-by-step plans from the cluster you run to the one you want, quorum kept at every step.',
      },
      { name: 'Service', description: 'Health and metadata.' },
      { name: 'Simulation', description: "Deterministic simulations of etcd's Raft leader election under faults." },
      {
        name: 'Charts',
        description:
          'Pictures of plans and simulations as SVG URLs, for an `<img>` tag or a chat message (POST with Accept: image/svg+xml gives the same).',
      },
    ],
  };
}
