/**
 * @module bench/lib/proposals
 * A fixed, deterministic set of distinct valid plan bodies for the benchmarks: sizes 1–9, 1–5 zones, both
 * topologies, with and without per-pair RTT tables, counts and named lists, several etcd versions. Rotating
 * over them means no cache keyed on the request can stand in for the plan's own speed.
 */
import type { ProposalInput } from '../../src/domain/proposal-input.js';

const zoneNames = ['zone-a', 'zone-b', 'zone-c', 'zone-d', 'zone-e'];
const versions = ['3.4', '3.5', '3.6'] as const;

/** An RTT table over the first `zones` zones: every unordered pair once, with values that vary by `salt`. */
function rttTable(zones: readonly string[], salt: number): { from: string; to: string; rttMs: number }[] {
  const entries: { from: string; to: string; rttMs: number }[] = [];
  for (let i = 0; i < zones.length; i++)
    for (let j = i + 1; j < zones.length; j++)
      entries.push({ from: zones[i]!, to: zones[j]!, rttMs: 1 + ((salt * 7 + i * 3 + j * 5) % 40) / 4 });
  return entries;
}

/**
 * The i-th benchmark proposal (i ≥ 0). Distinct for distinct i below `distinctProposals`: the size, zone
 * count, topology and version vary fastest, then whether an RTT table and named nodes are given, and the
 * intra-zone RTT carries the rest of i so no two bodies are equal.
 */
export function benchProposal(i: number): ProposalInput {
  const nodes = 1 + (i % 9);
  const zoneCount = 1 + (Math.floor(i / 9) % 5);
  const topology = Math.floor(i / 45) % 2 === 0 ? 'stacked' : 'external';
  const version = versions[Math.floor(i / 90) % 3]!;
  const withRtts = Math.floor(i / 270) % 2 === 1 && zoneCount > 1;
  const named = Math.floor(i / 540) % 2 === 1;
  const zones = zoneNames.slice(0, zoneCount);
  const members = 1 + ((i * 5) % 9);
  const proposal: ProposalInput = {
    topology,
    controlPlane: {
      nodes: named ? Array.from({ length: nodes }, (_, n) => ({ name: `node-${n + 1}` })) : nodes,
      ...(zoneCount > 1 ? { zones } : {}),
    },
    etcd: { version, ...(topology === 'external' ? { members } : {}) },
    network: {
      intraZoneRttMs: 0.25 + (i % 1000) / 1000,
      ...(withRtts ? { zoneRttMs: rttTable(zones, i) } : { interZoneRttMs: 1 + (i % 7) }),
    },
  };
  return proposal;
}

/** How many bodies the benchmarks rotate over (each distinct). */
const distinctProposals = 1080;

export function benchProposals(count = distinctProposals): ProposalInput[] {
  return Array.from({ length: count }, (_, i) => benchProposal(i));
}
