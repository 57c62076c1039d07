/**
 * @module plan/recommend
 * The inverse question: given what must be survived, the zones and their round trips, a topology preference
 * and a host budget, the smallest proposals that do it, each with its full plan. When nothing does, why not,
 * and the closest alternatives (each requirement relaxed in turn).
 *
 * Search, per topology: odd voter counts V = 2f+1, 2f+3, … (an even count never tolerates more than the odd
 * count below it) up to `maxVoters`; for each, the best placement (placement-search.ts); external adds the
 * fewest control-plane nodes that survive the same failures (f+1, and at least 2 in different zones when a
 * zone may be lost), spread round-robin over the zones. Every candidate is then checked by the full plan
 * analysis, so a recommendation is only ever what the enumeration confirms.
 */
import type { EtcdVersion } from '../etcd-versions.js';
import { defaultEtcdVersion } from '../etcd-versions.js';
import { defaultZone, normalizeProposal } from '../normalize-proposal.js';
import { defaults, type Network, type Topology } from '../proposal.js';
import { caveatSentence } from '../finding-headlines.js';
import { quorumSentence } from '../quorum.js';
import { plural } from '../text.js';
import { normalizeZoneRtts } from '../zone-rtt.js';
import type { ControlPlaneNodeInput, EtcdMemberInput, ProposalInput, ZoneRttInput } from '../proposal-input.js';
import { analyzePlan, type Plan } from './index.js';
import { bestPlacement, type ZoneCount } from './placement-search.js';
import { tunedTimings, type TunedTimings } from './tuned-timings.js';

/** What a client writes (the body of POST /v1/recommendations); defaults left out. */
export interface RecommendationInput {
  /** Arbitrary host failures to survive. Default 1. */
  nodeFailures?: number;
  /** Survive the loss of any one zone too. Default false. */
  zoneLoss?: boolean;
  /** The zones available, in order of preference. Default one zone, "zone-a". */
  zones?: string[];
  network?: { intraZoneRttMs?: number; interZoneRttMs?: number; zoneRttMs?: ZoneRttInput[] };
  /** Default "any". */
  topology?: Topology | 'any';
  /** Most hosts (control-plane nodes plus dedicated etcd hosts) the proposal may use. */
  maxHosts?: number;
  etcd?: { version?: EtcdVersion; diskSyncMs?: number };
}

export function normalizeRecommendationInput(
  input: RecommendationInput,
  bounds: { maxVoters: number; maxControlPlaneNodes: number },
): { ok: true; request: RecommendationRequest } | { ok: false; errors: { pointer: string; detail: string }[] } {
  const errors: { pointer: string; detail: string }[] = [];
  const zones = input.zones ?? [defaultZone];
  zones.forEach((zone, i) => {
    if (zones.indexOf(zone) !== i)
      errors.push({ pointer: `/zones/${i}`, detail: `Zone "${zone}" is listed twice; list each zone once.` });
  });
  const networkInput = input.network ?? {};
  const rtts = normalizeZoneRtts(zones, networkInput.zoneRttMs ?? [], '/network/zoneRttMs');
  errors.push(...rtts.errors);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      nodeFailures: input.nodeFailures ?? 1,
      zoneLoss: input.zoneLoss ?? false,
      zones: [...zones],
      networkInput,
      network: {
        intraZoneRttMs: networkInput.intraZoneRttMs ?? defaults.network.intraZoneRttMs,
        interZoneRttMs: networkInput.interZoneRttMs ?? defaults.network.interZoneRttMs,
        zonePairRttMs: rtts.zonePairRttMs,
      },
      topology: input.topology ?? 'any',
      ...(input.maxHosts !== undefined ? { maxHosts: input.maxHosts } : {}),
      etcdVersion: input.etcd?.version ?? defaultEtcdVersion,
      diskSyncMs: input.etcd?.diskSyncMs ?? defaults.etcd.diskSyncMs,
      maxVoters: bounds.maxVoters,
      maxControlPlaneNodes: bounds.maxControlPlaneNodes,
    },
  };
}

/** A normalized request: every default applied. Build it with normalizeRecommendationInput. */
export interface RecommendationRequest {
  /** Arbitrary host failures (any hosts, at once) the cluster must keep working through. */
  nodeFailures: number;
  /** Whether the loss of any one zone must be survived too. */
  zoneLoss: boolean;
  zones: string[];
  /** The request's network, as written (echoed into each proposal). */
  networkInput: { intraZoneRttMs?: number; interZoneRttMs?: number; zoneRttMs?: ZoneRttInput[] };
  network: Network;
  topology: Topology | 'any';
  maxHosts?: number;
  etcdVersion: EtcdVersion;
  diskSyncMs: number;
  /** Largest voter count to consider (the request limit). */
  maxVoters: number;
  /** Largest control-plane node count to consider. */
  maxControlPlaneNodes: number;
}

interface Recommendation {
  rank: number;
  topology: Topology;
  voters: number;
  /** How many control-plane nodes (the plan lists them by name). */
  controlPlaneNodeCount: number;
  hostCount: number;
  /** Counts per zone; the plan's placement lists the same members by name. */
  placement: { zone: string; etcdVoterCount: number; controlPlaneNodeCount: number }[];
  etcd: TunedTimings;
  rationale: string;
  /** The proposal itself: POST it to /v1/plans or /v1/config, or as `cluster` to /v1/simulations. */
  proposal: ProposalInput;
  plan: Plan;
}

interface Alternative {
  /** Which requirement is relaxed. */
  relaxes: 'zoneLoss' | 'zones' | 'maxHosts' | 'nodeFailures' | 'topology';
  description: string;
  recommendation: Recommendation;
}

/** Why nothing fits the request, as a code and a sentence. */
interface Reason {
  code: string;
  message: string;
}

export interface RecommendationAnswer {
  feasible: boolean;
  recommendations: Recommendation[];
  /** Why nothing fits; empty when feasible. */
  reasons: Reason[];
  alternatives: Alternative[];
  summary: string;
}

function roundRobin(count: number, zones: readonly string[]): string[] {
  return Array.from({ length: count }, (_, i) => zones[i % zones.length]!);
}

function proposalFor(
  request: RecommendationRequest,
  topology: Topology,
  counts: ZoneCount[],
  controlPlaneZones: string[],
  timings: TunedTimings,
): ProposalInput {
  const voterZones = counts.flatMap(({ zone, voters }) => Array.from({ length: voters }, () => zone));
  const etcd = {
    version: request.etcdVersion,
    heartbeatIntervalMs: timings.heartbeatIntervalMs,
    electionTimeoutMs: timings.electionTimeoutMs,
    diskSyncMs: request.diskSyncMs,
  };
  const nodes: ControlPlaneNodeInput[] =
    topology === 'stacked'
      ? voterZones.map((zone, i) => ({ name: `cp-${i + 1}`, zone }))
      : controlPlaneZones.map((zone, i) => ({ name: `cp-${i + 1}`, zone }));
  const members: EtcdMemberInput[] | undefined =
    topology === 'external' ? voterZones.map((zone, i) => ({ name: `etcd-${i + 1}`, zone })) : undefined;
  const network = Object.keys(request.networkInput).length > 0 ? { network: request.networkInput } : {};
  return {
    topology,
    platform: 'self-managed',
    controlPlane: { nodes, zones: [...request.zones] },
    etcd: members ? { members, ...etcd } : etcd,
    ...network,
  };
}

function meets(plan: Plan, nodeFailures: number, zoneLoss: boolean): boolean {
  const domains = plan.failureDomains;
  if (!domains) return false;
  const tolerated = domains.arbitraryHostFailures.cluster.tolerated;
  if (tolerated === null || tolerated < nodeFailures) return false;
  if (!zoneLoss) return true;
  return domains.zones.every(
    (loss) => loss.survives.etcdQuorum && loss.survives.apiServer && loss.survives.controllerLeaders,
  );
}

/** The smallest proposal of one topology meeting the requirements, ignoring the budget; undefined if none. */
function minimalFor(request: RecommendationRequest, topology: Topology): Omit<Recommendation, 'rank'> | undefined {
  const { nodeFailures, zoneLoss, zones } = request;
  for (let voters = 2 * nodeFailures + 1; voters <= request.maxVoters; voters += 2) {
    if (topology === 'stacked' && voters > request.maxControlPlaneNodes) break;
    const choice = bestPlacement(voters, zones, request.network, request.diskSyncMs, zoneLoss);
    if (!choice) continue;
    // External: the fewest control-plane nodes with the same tolerance, over the zones holding voters first.
    const voterZoneOrder = [
      ...choice.counts.map((c) => c.zone),
      ...zones.filter((z) => !choice.counts.some((c) => c.zone === z)),
    ];
    const cpCount = Math.max(nodeFailures + 1, zoneLoss ? 2 : 1);
    if (topology === 'external' && cpCount > request.maxControlPlaneNodes) return undefined;
    const controlPlaneZones = roundRobin(cpCount, voterZoneOrder);
    const timings = tunedTimings(
      choice.counts.flatMap((c) => Array.from({ length: c.voters }, () => c.zone)),
      request.network,
    );
    const proposal = proposalFor(request, topology, choice.counts, controlPlaneZones, timings);
    const normalized = normalizeProposal(proposal);
    if (!normalized.ok) throw new Error(`recommend built an invalid proposal: ${JSON.stringify(normalized.errors)}`);
    const plan = analyzePlan(normalized.proposal);
    if (!meets(plan, nodeFailures, zoneLoss)) continue;
    const cpNodes = normalized.proposal.controlPlaneNodes.length;
    const hosts = topology === 'stacked' ? cpNodes : cpNodes + voters;
    const placement = zones.map((zone) => ({
      zone,
      etcdVoterCount: choice.counts.find((c) => c.zone === zone)?.voters ?? 0,
      controlPlaneNodeCount: normalized.proposal.controlPlaneNodes.filter((n) => n.zone === zone).length,
    }));
    const spread = choice.counts.map((c) => `${c.zone}: ${c.voters}`).join(', ');
    const rationale =
      (topology === 'stacked'
        ? `${voters} stacked control-plane nodes (${spread}): ${voters} etcd voters tolerate ${plural((voters - 1) / 2, 'failure')}`
        : `${voters} external etcd voters (${spread}) and ${plural(cpCount, 'control-plane node')}: the voters tolerate ${plural((voters - 1) / 2, 'failure')} and ${plural(cpCount, 'apiserver')} leave one serving after ${cpCount - 1}`) +
      (zoneLoss ? `; no zone holds more than ${plural((voters - 1) / 2, 'voter')}, so any one zone can be lost` : '') +
      `. Writes take ${choice.writeLatencyMs.best}–${choice.writeLatencyMs.worst} ms at least, depending on the leader. ${timings.rationale}`;
    return {
      topology,
      voters,
      controlPlaneNodeCount: cpNodes,
      hostCount: hosts,
      placement,
      etcd: timings,
      rationale,
      proposal,
      plan,
    };
  }
  return undefined;
}

function rankAll(candidates: Omit<Recommendation, 'rank'>[]): Recommendation[] {
  return [...candidates]
    .sort(
      (a, b) =>
        a.hostCount - b.hostCount ||
        (a.plan.writeLatency?.worstMs ?? 0) - (b.plan.writeLatency?.worstMs ?? 0) ||
        (a.topology === 'stacked' ? 0 : 1) - (b.topology === 'stacked' ? 0 : 1),
    )
    .map((candidate, i) => ({ rank: i + 1, ...candidate }));
}

/** "3 stacked control-plane nodes over 3 zones (3 hosts)". */
function describe(r: Omit<Recommendation, 'rank'>): string {
  const zonesUsed = r.placement.filter((p) => p.etcdVoterCount > 0).length;
  return r.topology === 'stacked'
    ? `${plural(r.voters, 'stacked control-plane node')} over ${plural(zonesUsed, 'zone')} (${plural(r.hostCount, 'host')})`
    : `${plural(r.controlPlaneNodeCount, 'control-plane node')} and ${plural(r.voters, 'external etcd member')} over ${plural(zonesUsed, 'zone')} (${plural(r.hostCount, 'host')})`;
}

/** The longest recommendation summary (issue 11). */
const maxRecommendationSummaryChars = 600;

/** The sentences in order, the last ones left out until the text fits. */
function fitSentences(sentences: (string | undefined)[], limit: number): string {
  const kept = sentences.filter((text): text is string => Boolean(text));
  while (kept.join(' ').length > limit && kept.length > 1) kept.pop();
  return kept.join(' ');
}

/** The chosen proposal, its quorum, its write floor and what to watch; then the other options. */
function feasibleSummary(requirement: string, recommendations: readonly Recommendation[]): string {
  const first = recommendations[0]!;
  const through = first.plan.writeLatency?.throughApiServer;
  return fitSentences(
    [
      `For ${requirement}, the smallest proposal is ${describe(first)}, with etcd heartbeat ${first.etcd.heartbeatIntervalMs} ms and election timeout ${first.etcd.electionTimeoutMs} ms.`,
      quorumSentence(first.voters),
      through ? `A write through the API takes at least ${through.bestMs} ms.` : undefined,
      caveatSentence(first.plan.findings, new Set(), 2) || undefined,
      ...recommendations.slice(1).map((r) => `Also possible: ${describe(r)}.`),
    ],
    maxRecommendationSummaryChars,
  );
}

const extraZoneNames = ['zone-c', 'zone-third', 'witness-zone'];

type Minimal = Omit<Recommendation, 'rank'>;

/** The requirement in words, as the summary and the reasons say it. */
function requirementText(request: RecommendationRequest): string {
  if (request.nodeFailures === 0)
    return request.zoneLoss ? 'surviving the loss of any one zone' : 'a cluster without failure tolerance';
  return (
    `surviving any ${plural(request.nodeFailures, 'host failure')}` +
    (request.zoneLoss ? ' and the loss of any one zone' : '')
  );
}

/** Fewer than three zones cannot survive a zone loss: why, and what would work without it or with a third zone. */
function zoneLossInfeasible(request: RecommendationRequest, reasons: Reason[], alternatives: Alternative[]): void {
  const voterZonesAvailable = request.zones.length;
  reasons.push({
    code: 'ZONE_LOSS_NEEDS_THREE_ZONES',
    message:
      voterZonesAvailable === 1
        ? 'Surviving a zone loss is impossible with one zone: it holds every voter.'
        : 'Surviving the loss of either of 2 zones is impossible: whichever way the voters are split, one zone holds at least half of them, ' +
          'and quorum needs more than half, so losing that zone loses quorum. A third zone is needed, even one with a single voter.',
  });
  const topology = request.topology === 'any' ? 'stacked' : request.topology;
  const noZoneLoss = minimalFor({ ...request, zoneLoss: false }, topology);
  if (noZoneLoss) {
    alternatives.push({
      relaxes: 'zoneLoss',
      description: `Without the zone-loss requirement: ${describe(noZoneLoss)}, which survives ${request.nodeFailures === 0 ? 'no host failure' : plural(request.nodeFailures, 'host failure')} but not the loss of its largest zone.`,
      recommendation: { rank: 1, ...noZoneLoss },
    });
  }
  const zones = [...request.zones];
  for (const name of extraZoneNames) {
    if (zones.length >= 3) break;
    if (!zones.includes(name)) zones.push(name);
  }
  const withThird = minimalFor({ ...request, zones }, topology);
  if (withThird) {
    const added = zones.slice(request.zones.length).join(' and ');
    alternatives.push({
      relaxes: 'zones',
      description: `With a third zone (${added}, assumed ${request.network.interZoneRttMs} ms from the others): ${describe(withThird)}.`,
      recommendation: { rank: alternatives.length + 1, ...withThird },
    });
  }
}

/** Feasible but over the host budget: the budget it would take, and the most the budget buys. */
function budgetTooSmall(
  request: RecommendationRequest,
  minimal: Minimal[],
  topologies: Topology[],
  requirement: string,
  reasons: Reason[],
  alternatives: Alternative[],
): void {
  const maxHosts = request.maxHosts!;
  const cheapest = rankAll(minimal)[0]!;
  reasons.push({
    code: 'HOST_BUDGET_TOO_SMALL',
    message: `${requirement[0]!.toUpperCase()}${requirement.slice(1)} takes at least ${cheapest.hostCount} hosts (${describe(cheapest)}); the budget is ${plural(maxHosts, 'host')}.`,
  });
  alternatives.push({
    relaxes: 'maxHosts',
    description: `Raise the budget to ${cheapest.hostCount} hosts: ${describe(cheapest)}.`,
    recommendation: { ...cheapest, rank: 1 },
  });
  // The most the budget can buy: fewer failures survived, keeping the zone requirement if possible.
  for (const zoneLoss of request.zoneLoss ? [true, false] : [false]) {
    for (let f = request.nodeFailures - (zoneLoss === request.zoneLoss ? 1 : 0); f >= 0; f--) {
      const options = topologies
        .map((t) => minimalFor({ ...request, nodeFailures: f, zoneLoss }, t))
        .filter((r): r is Minimal => r !== undefined && r.hostCount <= maxHosts);
      if (options.length === 0) continue;
      const best = rankAll(options)[0]!;
      alternatives.push({
        relaxes: zoneLoss === request.zoneLoss ? 'nodeFailures' : 'zoneLoss',
        description: `Within ${plural(maxHosts, 'host')}: ${describe(best)}, which survives ${f === 0 ? 'no host failure' : plural(f, 'host failure')}${zoneLoss ? ' and any one zone loss' : ''}.`,
        recommendation: { ...best, rank: alternatives.length + 1 },
      });
      return;
    }
  }
}

/** Nothing meets the requirements: why, and the closest proposals that relax one of them. */
function infeasibleAnswer(
  request: RecommendationRequest,
  minimal: Minimal[],
  topologies: Topology[],
  requirement: string,
): RecommendationAnswer {
  const reasons: Reason[] = [];
  const alternatives: Alternative[] = [];
  if (minimal.length === 0 && request.zoneLoss && request.zones.length < 3) {
    zoneLossInfeasible(request, reasons, alternatives);
  } else if (minimal.length === 0) {
    reasons.push({
      code: 'BEYOND_LIMITS',
      message: `No proposal within the request limits (at most ${request.maxVoters} voters and ${request.maxControlPlaneNodes} control-plane nodes) meets ${requirement}${request.topology === 'any' ? '' : ` with the ${request.topology} topology`}.`,
    });
  } else {
    budgetTooSmall(request, minimal, topologies, requirement, reasons, alternatives);
  }
  if (minimal.length === 0 && request.topology !== 'any') {
    const other: Topology = request.topology === 'stacked' ? 'external' : 'stacked';
    const otherMinimal = minimalFor(request, other);
    if (otherMinimal) {
      alternatives.push({
        relaxes: 'topology',
        description: `With the ${other} topology instead: ${describe(otherMinimal)}.`,
        recommendation: { rank: alternatives.length + 1, ...otherMinimal },
      });
    }
  }
  const summary = fitSentences(
    [
      `Nothing meets the requirements (${requirement}).`,
      ...reasons.map((r) => r.message),
      ...alternatives.map((a, i) => `${i === 0 ? 'Closest' : 'Or'}: ${a.description}`),
    ],
    maxRecommendationSummaryChars,
  );
  return { feasible: false, recommendations: [], reasons, alternatives, summary };
}

export function recommend(request: RecommendationRequest): RecommendationAnswer {
  const topologies: Topology[] = request.topology === 'any' ? ['stacked', 'external'] : [request.topology];
  const minimal = topologies.map((t) => minimalFor(request, t)).filter((r): r is Minimal => r !== undefined);
  const withinBudget = minimal.filter((r) => request.maxHosts === undefined || r.hostCount <= request.maxHosts);
  const requirement = requirementText(request);
  if (withinBudget.length === 0) return infeasibleAnswer(request, minimal, topologies, requirement);
  const recommendations = rankAll(withinBudget);
  return {
    feasible: true,
    recommendations,
    reasons: [],
    alternatives: [],
    summary: feasibleSummary(requirement, recommendations),
  };
}
