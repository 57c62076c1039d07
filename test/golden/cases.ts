/**
 * The golden-timeline cases: fixed configs, scenarios and seeds whose timelines are kept as readable text
 * under test/golden/. Regenerate only deliberately, after reading the diff: `npx tsx scripts/golden-timelines.ts`.
 */
import { Random } from '../../src/domain/random.js';
import { plainMembers, uniformNetwork, type ElectionConfig } from '../../src/domain/simulation/election-config.js';
import { runTrial } from '../../src/domain/simulation/election-engine.js';
import type { Scenario } from '../../src/domain/simulation/scenario.js';
import { timelineToText } from '../../src/domain/simulation/timeline.js';

function etcd(members: number, preVote: boolean, learners = 0): ElectionConfig {
  return {
    members: plainMembers(members, learners),
    timing: {
      model: 'etcd',
      heartbeatIntervalMs: 100,
      electionTimeoutMs: 1000,
      preVote,
      initialElectionTickAdvance: true,
    },
    network: uniformNetwork(members + learners, 2, { diskSyncMs: 1 }),
    start: 'steady',
  };
}

export const goldenCases: { name: string; config: ElectionConfig; scenario: Scenario; seed: number }[] = [
  {
    name: 'etcd-3.5-crash-leader-5-members-seed-1',
    config: etcd(5, true),
    scenario: {
      faults: [{ type: 'crash', target: { kind: 'etcd-leader' }, at: { atMs: 0, withinMs: 100 } }],
      horizonMs: 3000,
    },
    seed: 1,
  },
  {
    name: 'etcd-3.4-crash-leader-3-members-seed-7',
    config: etcd(3, false),
    scenario: {
      faults: [{ type: 'crash', target: { kind: 'etcd-leader' }, at: { atMs: 0, withinMs: 100 } }],
      horizonMs: 3000,
    },
    seed: 7,
  },
  {
    name: 'etcd-3.5-graceful-stop-leader-5-members-seed-3',
    config: etcd(5, true),
    scenario: { faults: [{ type: 'stop', target: { kind: 'etcd-leader' }, at: { atMs: 0 } }], horizonMs: 500 },
    seed: 3,
  },
  {
    name: 'etcd-3.5-leader-in-minority-5-members-seed-2',
    config: etcd(5, true),
    scenario: {
      faults: [{ type: 'partition', groups: [['m1', 'm2']], at: { atMs: 0 }, healAfterMs: 4000 }],
      horizonMs: 1000,
    },
    seed: 2,
  },
  {
    name: 'etcd-3.4-bootstrap-3-members-1-learner-seed-5',
    config: { ...etcd(3, false, 1), start: 'bootstrap' },
    scenario: { faults: [], horizonMs: 2000 },
    seed: 5,
  },
];

export function goldenText(c: (typeof goldenCases)[number]): string {
  const result = runTrial(c.config, c.scenario, Random.derive(c.seed, 0), {
    recordTimeline: true,
    recordService: true,
    seed: c.seed,
    trialIndex: 0,
  });
  const m = result.metrics;
  const header = [
    `# ${c.name}`,
    `# seed ${c.seed}, trial 0; times in ms from the start of the fault schedule`,
    `# newLeaderAfterUs=${m.newLeaderAfterUs} allKnowAfterUs=${m.allKnowAfterUs} unavailableUs=${m.unavailableUs} newLeader=${m.newLeader} term=${m.newLeaderTerm} rounds=${m.electionRounds} preVoteRounds=${m.preVoteRounds} splitVotes=${m.splitVotes}`,
  ];
  return `${header.join('\n')}\n${timelineToText(result.timeline ?? [])}\n`;
}
