/**
 * The claims ledger (src/domain/ledger, docs/reference/ledger.md): the page matches the module, the texts
 * match what upstream prints (written out here from etcd-io/etcd, kubernetes/client-go and
 * kubernetes/component-base at the tags the ledger names, not from the module), and every text an answer
 * quotes is the ledger's text for the etcd version asked.
 */
import { describe, expect, it } from 'vitest';
import ledgerPage from '../docs/reference/ledger.md?raw';
import { generateConfig } from '../src/domain/config/index.js';
import type { EtcdVersion } from '../src/domain/etcd-versions.js';
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

/** The texts the ledger allows an answer for this proposal's etcd version to quote. */
function allowedQuotes(version: EtcdVersion, timings: { heartbeatMs: number; electionMs: number }): Set<string> {
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
    ...componentBaseLeaseRule.map((rule) => rule.text),
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

describe('every quoted text in every answer is the ledger text for the version asked', () => {
  for (const version of ['3.4', '3.5', '3.6'] as const) {
    it.each(cases)(`etcd ${version}: %o`, (options) => {
      const proposal = makeProposal({ ...options, version });
      const allowed = allowedQuotes(version, {
        heartbeatMs: proposal.etcd.heartbeatIntervalMs,
        electionMs: proposal.etcd.electionTimeoutMs,
      });
      const plan = analyzePlan(proposal);
      const config = generateConfig(proposal);
      const quorum = analyzeQuorum({
        voters: plan.voters,
        learners: plan.learners,
        etcdVersion: version,
      });
      const texts = [plan, config, quorum].flatMap((answer) => [
        answer.summary,
        ...answer.findings.map((f) => f.message),
      ]);
      for (const text of texts) {
        for (const quoted of quotes(text)) expect(allowed.has(quoted), `${quoted} in: ${text}`).toBe(true);
      }
    });
  }
});
