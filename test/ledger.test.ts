/**
 * The claims ledger (src/domain/ledger, docs/reference/ledger.md): the page matches the module, the texts
 * match what upstream prints (written out here from etcd-io/etcd, kubernetes/client-go and
 * kubernetes/component-base at the tags the ledger names, not from the module), and every text an answer
 * quotes is the ledger's text for the etcd version and the Kubernetes minor asked.
 */
import { describe, expect, it } from 'vitest';
import ledgerPage from '../docs/reference/ledger.md?raw';
import { planChanges } from '../src/domain/changes/index.js';
import { generateConfig } from '../src/domain/config/index.js';
import type { EtcdVersion } from '../src/domain/etcd-versions.js';
import { type KubernetesVersion, kubernetesVersions } from '../src/domain/kubernetes-versions.js';
import {
  claims,
  clientGoLeaderElectionTexts,
  componentBaseLeaseRule,
  componentBaseNotPositiveText,
  etcdRefusalLog,
  etcdValidationTexts,
  tooManyLearnersEtcdctlText,
} from '../src/domain/ledger/index.js';
import { renderLedgerMarkdown } from '../src/domain/ledger/render.js';
import { analyzePlan } from '../src/domain/plan/index.js';
import { analyzeQuorum } from '../src/domain/quorum.js';
import { type FixtureOptions, makeProposal } from './fixtures/proposals.js';
import { postJson } from './helpers.js';

describe('the ledger page', () => {
  it('is the module rendered (run npx tsx scripts/ledger-doc.ts --write after a change)', () => {
    expect(ledgerPage).toBe(renderLedgerMarkdown());
  });

  it('gives every claim a source with a tag, a commit or a documentation page', () => {
    const ids = new Set<string>();
    for (const claim of claims) {
      expect(ids.has(claim.id), claim.id).toBe(false);
      ids.add(claim.id);
      expect(claim.sources.length, claim.id).toBeGreaterThan(0);
      for (const source of claim.sources) {
        expect(source.url, claim.id).toMatch(/^https:\/\//);
        // An upstream file is pinned: /blob/<tag or commit>/, never a moving branch.
        if (source.url.includes('/blob/')) expect(source.url, claim.id).not.toMatch(/\/blob\/(main|master)\//);
      }
    }
  });
});

describe('the ledger texts are upstream texts', () => {
  it('etcd 3.4 logs capnslog\'s "error verifying flags", 3.5 and 3.6 zap\'s "failed to verify flags" (etcdmain/etcd.go)', () => {
    const err = '--election-timeout[499ms] should be at least as 5 times as --heartbeat-interval[100ms]';
    expect(etcdValidationTexts.electionBelow5Heartbeats(499, 100)).toBe(err);
    expect(etcdRefusalLog('3.4', err)).toContain(`"error verifying flags, ${err}. See 'etcd --help'."`);
    for (const version of ['3.5', '3.6'] as const) {
      const log = etcdRefusalLog(version, err);
      expect(log).toContain('"failed to verify flags"');
      expect(log).toContain(`"${err}"`);
      expect(log).not.toContain('error verifying flags');
    }
  });

  it('quotes what etcdctl prints over the learner limit, not the server-internal text', () => {
    expect(tooManyLearnersEtcdctlText).toBe('etcdserver: too many learner members in cluster');
  });

  it("keeps component-base's rule and wording per Kubernetes minor", () => {
    expect(componentBaseLeaseRule.map((rule) => [rule.kubernetes, rule.refusesEqual, rule.text])).toEqual([
      ['1.25 and earlier', false, 'LeaseDuration must be greater than RenewDeadline'],
      ['1.26 to 1.33', true, 'LeaseDuration must be greater than RenewDeadline'],
      ['1.34 and later', true, 'must be greater than `RenewDeadline`'],
    ]);
  });
});

/** Every "…" in a text. */
function quotes(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"/g)].map((match) => match[1]!);
}

/**
 * component-base's ValidateLeaderElectionConfiguration per Kubernetes minor, written out from
 * config/validation/validation.go at v0.25.16, v0.26.0, v0.33.13, v0.34.0 and v0.36.3: 1.25 and earlier
 * refuse only lease < renew; 1.26 on refuse lease ≤ renew; 1.34 on with a shorter text.
 */
function componentBaseUpstream(version: KubernetesVersion): { refusesEqual: boolean; text: string } {
  const minor = Number(version.split('.')[1]);
  if (minor <= 25) return { refusesEqual: false, text: 'LeaseDuration must be greater than RenewDeadline' };
  if (minor <= 33) return { refusesEqual: true, text: 'LeaseDuration must be greater than RenewDeadline' };
  return { refusesEqual: true, text: 'must be greater than `RenewDeadline`' };
}

/** The texts the ledger allows an answer for these etcd and Kubernetes versions to quote. */
function allowedQuotes(
  version: EtcdVersion,
  kubernetes: KubernetesVersion,
  timings: { heartbeatMs: number; electionMs: number },
): Set<string> {
  const { heartbeatMs, electionMs } = timings;
  const etcdTexts = [
    etcdValidationTexts.heartbeatNotPositive(heartbeatMs),
    etcdValidationTexts.electionNotPositive(electionMs),
    etcdValidationTexts.electionBelow5Heartbeats(electionMs, heartbeatMs),
    etcdValidationTexts.electionTooLong(electionMs),
  ];
  const etcdQuotes =
    version === '3.4'
      ? etcdTexts.map((text) => `error verifying flags, ${text}. See 'etcd --help'.`)
      : ['failed to verify flags', ...etcdTexts];
  return new Set([
    ...etcdQuotes,
    ...Object.values(clientGoLeaderElectionTexts),
    componentBaseUpstream(kubernetes).text,
    componentBaseNotPositiveText,
    tooManyLearnersEtcdctlText,
  ]);
}

const cases: FixtureOptions[] = [
  { heartbeatIntervalMs: 100, electionTimeoutMs: 499 },
  { heartbeatIntervalMs: 0 },
  { electionTimeoutMs: 0 },
  { electionTimeoutMs: 50_001 },
  { leaseDurationS: 10 },
  { leaseDurationS: 9 },
  { renewDeadlineS: 2.4 },
  { retryPeriodS: 0 },
  { topology: 'external', members: 5, learners: [3, 4] },
  { interZoneRttMs: 150, diskSyncMs: 800, electionTimeoutMs: 1050 },
];

/** Every answer the proposal gets from the domain: plan, configuration, quorum and a change plan to itself plus one learner. */
function answerTexts(proposal: ReturnType<typeof makeProposal>): string[] {
  const plan = analyzePlan(proposal);
  const config = generateConfig(proposal);
  const quorum = analyzeQuorum({ voters: plan.voters, learners: plan.learners, etcdVersion: proposal.etcd.version });
  const texts = [plan, config, quorum].flatMap((answer) => [answer.summary, ...answer.findings.map((f) => f.message)]);
  const grown = {
    ...proposal,
    etcdMembers: [
      ...proposal.etcdMembers,
      { ...proposal.etcdMembers[0]!, name: 'new-1', host: 'new-1', learner: true },
    ],
  };
  const change = planChanges({ current: proposal, target: grown, options: {} });
  texts.push(
    ...(change.ok
      ? [change.plan.summary, ...change.plan.findings.map((f) => f.message)]
      : change.refusals.map((r) => r.detail)),
  );
  return texts;
}

describe('every quoted text in every answer is the ledger text for the versions asked', () => {
  for (const version of ['3.4', '3.5', '3.6'] as const) {
    it.each(cases)(`etcd ${version}: %o`, (options) => {
      for (const kubernetesVersion of kubernetesVersions) {
        const proposal = makeProposal({ ...options, version, kubernetesVersion });
        const allowed = allowedQuotes(version, kubernetesVersion, {
          heartbeatMs: proposal.etcd.heartbeatIntervalMs,
          electionMs: proposal.etcd.electionTimeoutMs,
        });
        for (const text of answerTexts(proposal)) {
          for (const quoted of quotes(text))
            expect(allowed.has(quoted), `${kubernetesVersion}: ${quoted} in: ${text}`).toBe(true);
          // One version's wording, never a list of every version's.
          expect(text, kubernetesVersion).not.toMatch(/Kubernetes 1\.\d+ (and earlier|to 1\.\d+|and later)/);
        }
      }
    });
  }
});

describe("component-base's rule is the one of the Kubernetes minor asked", () => {
  const leaseFinding = (kubernetesVersion: KubernetesVersion, leaseDurationS: number) =>
    analyzePlan(makeProposal({ kubernetesVersion, leaseDurationS, renewDeadlineS: 10 })).findings.find(
      (f) => f.code === 'LEADER_ELECTION_LEASE_NOT_ABOVE_RENEW_DEADLINE',
    );

  it.each(kubernetesVersions)('Kubernetes %s', (kubernetesVersion) => {
    const upstream = componentBaseUpstream(kubernetesVersion);
    // lease < renew: every version's component-base refuses it, with its own text.
    expect(leaseFinding(kubernetesVersion, 9)!.message).toContain(`"${upstream.text}"`);
    // lease = renew: component-base refuses it from 1.26; before, client-go is the one that does.
    const equal = leaseFinding(kubernetesVersion, 10)!;
    expect(equal.message).toContain('"leaseDuration must be greater than renewDeadline"');
    if (upstream.refusesEqual) expect(equal.message).toContain(`"${upstream.text}"`);
    else expect(quotes(equal.message)).toEqual(['leaseDuration must be greater than renewDeadline']);
    expect(equal.message).toContain(`Kubernetes ${kubernetesVersion}`);
  });
});

describe('the HTTP answers quote the version asked too', () => {
  const cluster = {
    topology: 'stacked',
    controlPlane: { nodes: 3 },
    leaderElection: { leaseDurationS: 9, renewDeadlineS: 10 },
  };

  it.each(['1.25', '1.30', '1.34'] as const)(
    'Kubernetes %s: plans, config and the control-plane simulation',
    async (kubernetesVersion) => {
      const body = { ...cluster, kubernetesVersion };
      const text = componentBaseUpstream(kubernetesVersion).text;
      const other =
        kubernetesVersion === '1.34'
          ? 'LeaseDuration must be greater than RenewDeadline'
          : 'must be greater than `RenewDeadline`';
      for (const path of ['/v1/plans', '/v1/config']) {
        const answer = (await (await postJson(path, body)).json()) as { findings: { message: string }[] };
        const all = answer.findings.map((f) => f.message).join(' ');
        expect(all, path).toContain(`"${text}"`);
        expect(all, path).not.toContain(`"${other}"`);
      }
      const simulation = await postJson('/v1/simulations', { kind: 'control-plane', cluster: body });
      expect(simulation.status).toBe(400);
      const detail = JSON.stringify(await simulation.json());
      expect(detail).toContain(JSON.stringify(`"${text}"`).slice(1, -1));
      expect(detail).not.toContain(JSON.stringify(`"${other}"`).slice(1, -1));
    },
  );

  it('an unsupported minor is refused with the range', async () => {
    const response = await postJson('/v1/plans', { ...cluster, kubernetesVersion: '1.23' });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { pointer: string; detail: string }[] };
    expect(problem.errors[0]).toEqual(
      expect.objectContaining({ pointer: '/kubernetesVersion', detail: expect.stringContaining('from 1.24 to 1.36') }),
    );
  });
});
