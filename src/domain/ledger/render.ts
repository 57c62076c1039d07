/**
 * @module ledger/render
 * The claims ledger as the markdown page docs/reference/ledger.md (written by scripts/ledger-doc.ts).
 */
import type { EtcdVersion } from '../etcd-versions.js';
import {
  clientGoLeaderElectionTexts,
  componentBaseLeaseRule,
  componentBaseNotPositiveText,
  etcdRefusalLog,
  etcdTags,
  etcdValidationTexts,
  tooManyLearnersEtcdctlText,
  tooManyLearnersServerText,
} from './index.js';
import { claims } from './index.js';

const versions: EtcdVersion[] = ['3.4', '3.5', '3.6'];

function textsSection(): string[] {
  const lines = [
    '## Exact texts',
    '',
    'The answers quote these texts and no others (test/ledger.test.ts checks every quoted text of every answer).',
    '',
    `### etcd flag validation (Config.Validate; identical at ${versions.map((v) => etcdTags[v]).join(', ')})`,
    '',
    `- \`${etcdValidationTexts.heartbeatNotPositive(0)}\``,
    `- \`${etcdValidationTexts.electionNotPositive(0)}\``,
    `- \`${etcdValidationTexts.electionBelow5Heartbeats(499, 100)}\``,
    `- \`${etcdValidationTexts.electionTooLong(50001)}\``,
    '',
    '### How etcd logs a refused flag, per version',
    '',
    ...versions.map((v) => `- etcd ${v} (${etcdTags[v]}): ${etcdRefusalLog(v, '<err>')}`),
    '',
    '### Learner limit',
    '',
    `- What \`etcdctl member add --learner\` prints: \`Error: ${tooManyLearnersEtcdctlText}\` (3.4–3.6)`,
    `- The server-side error (server log only): \`${tooManyLearnersServerText}\``,
    '',
    '### client-go NewLeaderElector (Kubernetes 1.24–1.36)',
    '',
    ...Object.values(clientGoLeaderElectionTexts).map((text) => `- \`${text}\``),
    '',
    '### component-base leader-election validation, per Kubernetes minor',
    '',
    ...componentBaseLeaseRule.map(
      (rule) =>
        `- Kubernetes ${rule.kubernetes}: refuses lease ${rule.refusesEqual ? '≤' : '<'} renew with \`${rule.text}\` ([${rule.source.title}](${rule.source.url}))`,
    ),
    `- Every version: a duration ≤ 0 with \`${componentBaseNotPositiveText}\``,
    '',
  ];
  return lines;
}

export function renderLedgerMarkdown(): string {
  const lines = [
    '# Claims ledger',
    '',
    '<!-- Generated from src/domain/ledger by scripts/ledger-doc.ts; edit the module, then run',
    '     `npx tsx scripts/ledger-doc.ts --write`. -->',
    '',
    'Every upstream fact the answers state, with the upstream file at the tag it was checked against, or the',
    'documentation page. The code takes these facts and texts from `src/domain/ledger` and cites them in findings.',
    '',
    '## Claims',
    '',
  ];
  for (const claim of claims) {
    lines.push(`### ${claim.id}`, '', claim.statement, '');
    for (const source of claim.sources) lines.push(`- [${source.title}](${source.url})`);
    lines.push('');
  }
  lines.push(...textsSection());
  return `${lines.join('\n').trimEnd()}\n`;
}
