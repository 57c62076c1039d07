/**
 * @module routes/config
 * POST /v1/config: the configuration of a proposed cluster: every etcd member's flags (and the learner
 * procedure), the apiservers' etcd flags, the controller-manager and scheduler leader-election flags, and
 * kubeadm's ClusterConfiguration, each as structured flags and rendered text, with timing validation.
 *
 * The body is the proposal of POST /v1/plans, plus an optional `paths` object for certificate and data
 * paths. A configuration that a component would refuse still gets a 200 answer: `startable: false` and the
 * error findings say what would fail, before anyone deploys it.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { type ConfigAnswer, generateConfig } from '../../domain/config/index.js';
import { normalizeProposal } from '../../domain/normalize-proposal.js';
import type { AppEnv } from '../app-env.js';
import { checkProposal, parseProposal } from '../parse-proposal.js';
import type { ProblemError } from '../problem.js';
import { issuesToProblemErrors } from '../validation.js';
import { ConfigAnswerSchema, ConfigPathsInputSchema } from '../schemas/config.js';
import { errorResponses, jsonWithLazyExample, postErrorStatuses } from '../schemas/common.js';
import { ProposalInputSchema, proposalExamples } from '../schemas/proposal.js';

const ConfigRequestSchema = ProposalInputSchema.extend({ paths: ConfigPathsInputSchema.optional() })
  .strict()
  .openapi('ConfigRequest', {
    description:
      'The proposal of POST /v1/plans, plus optional certificate and data `paths` (kubeadm defaults otherwise).',
  });

const configExamples = {
  minimalStacked: proposalExamples.minimalStacked,
  externalFiveOverThreeZones: proposalExamples.externalFiveOverThreeZones,
  twoZones: proposalExamples.twoZones,
  externalWithLearner: {
    summary: 'External etcd with addresses, one learner, custom paths',
    value: {
      topology: 'external',
      controlPlane: { nodes: 3, zones: ['zone-a', 'zone-b', 'zone-c'] },
      etcd: {
        version: '3.5',
        members: [
          { name: 'etcd-1', zone: 'zone-a', address: '10.0.1.21' },
          { name: 'etcd-2', zone: 'zone-b', address: '10.0.2.21' },
          { name: 'etcd-3', zone: 'zone-c', address: '10.0.3.21' },
          { name: 'etcd-4', zone: 'zone-a', address: '10.0.1.22', learner: true },
        ],
      },
      loadBalancer: { endpoint: 'k8s-api.example.internal:6443' },
      paths: { etcdDataDir: '/srv/etcd' },
    },
  },
  refusedTimings: {
    summary: 'Timings etcd refuses (startable: false)',
    value: {
      topology: 'stacked',
      controlPlane: { nodes: 3 },
      etcd: { heartbeatIntervalMs: 100, electionTimeoutMs: 400 },
    },
  },
};

function exampleAnswer() {
  const normalized = normalizeProposal({
    topology: 'stacked',
    controlPlane: {
      nodes: [
        { name: 'cp-1', zone: 'zone-a', address: '10.0.1.11' },
        { name: 'cp-2', zone: 'zone-b', address: '10.0.2.11' },
        { name: 'cp-3', zone: 'zone-c', address: '10.0.3.11' },
      ],
    },
  });
  if (!normalized.ok) throw new Error('the example proposal must normalize');
  return generateConfig(normalized.proposal);
}

export const postConfigRoute = createRoute({
  method: 'post',
  path: '/v1/config',
  operationId: 'generateConfig',
  tags: ['Configuration'],
  summary:
    'etcd member flags, kube-apiserver etcd flags, leader-election flags and kubeadm ClusterConfiguration for a proposed cluster',
  description:
    "For the same proposal as POST /v1/plans: each etcd member's complete flag set (static bootstrap; --initial-cluster matches every " +
    "advertised peer URL; TLS with kubeadm's paths) and, for learners, etcd's real procedure (member add --learner, start with " +
    '--initial-cluster-state=existing, member promote); kube-apiserver --etcd-servers (stacked: the local member only, as kubeadm ' +
    'does, with the all-members alternative and its trade-off; external: every voter, learners left out with the reason) and ' +
    'certificate flags; kube-controller-manager and kube-scheduler leader-election flags; kubeadm ClusterConfiguration ' +
    '(kubeadm.k8s.io/v1beta4) with controlPlaneEndpoint set to the load balancer. Every artefact comes as structured flags and as ' +
    'rendered text (shell command line, YAML), always consistent. Timings are checked as etcd and client-go check them, with their ' +
    'exact error texts; when a component would refuse them the answer still comes back, with `startable: false`. Hosts without an ' +
    'address get placeholders such as <cp-1-address>, listed in `placeholders`. Deterministic: the same body gives the same bytes.\n\n' +
    'Finding codes: refused at start (`startable: false`): ETCD_HEARTBEAT_NOT_POSITIVE, ETCD_ELECTION_TIMEOUT_NOT_POSITIVE, ' +
    'ETCD_ELECTION_TIMEOUT_BELOW_5X_HEARTBEAT, ETCD_ELECTION_TIMEOUT_TOO_LONG, LEADER_ELECTION_LEASE_DURATION_NOT_POSITIVE, ' +
    'LEADER_ELECTION_RENEW_DEADLINE_NOT_POSITIVE, LEADER_ELECTION_RETRY_PERIOD_NOT_POSITIVE, LEADER_ELECTION_LEASE_NOT_ABOVE_RENEW_DEADLINE, ' +
    'LEADER_ELECTION_RENEW_DEADLINE_NOT_ABOVE_JITTERED_RETRY, NO_VOTERS. Errors that still start: ETCD_TIMING_MISMATCH, ' +
    "TOO_MANY_LEARNERS (the voters start; only the extra learner's member add is refused). " +
    'Tuning warnings (largest voter RTT): ETCD_HEARTBEAT_BELOW_RTT_GUIDANCE, ETCD_HEARTBEAT_ABOVE_RTT_GUIDANCE, ' +
    'ETCD_ELECTION_TIMEOUT_BELOW_10X_RTT, ETCD_RTT_BEYOND_ELECTION_TIMEOUT_CEILING, ETCD_ELECTION_TIMEOUT_NOT_TICK_MULTIPLE, ' +
    'ETCD_DISK_SYNC_ABOVE_GUIDANCE, ETCD_CROSS_REGION_RTT: the same timing findings as POST /v1/plans. Also CONFIG_ADDRESS_PLACEHOLDERS, ' +
    'LEARNERS_JOIN_AFTER_BOOTSTRAP, HOSTED_CONTROL_PLANE_NOT_CONFIGURABLE.',
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: ConfigRequestSchema, examples: configExamples } },
    },
  },
  responses: {
    200: {
      description: 'The configuration, its findings and whether it would start.',
      content: { 'application/json': jsonWithLazyExample(ConfigAnswerSchema, exampleAnswer) },
    },
    ...errorResponses(...postErrorStatuses),
  },
});

/**
 * The configuration for a request body, without HTTP: for the MCP tool and tests. Errors come back as the
 * same `{ pointer, location, detail }` entries a 400 problem carries; `basePointer` when the body is nested.
 */
export function configForBody(
  body: unknown,
  basePointer = '',
): { ok: true; answer: ConfigAnswer } | { ok: false; errors: ProblemError[] } {
  const parsed = ConfigRequestSchema.safeParse(body);
  if (!parsed.success) {
    const errors = issuesToProblemErrors(parsed.error.issues, 'body').map((error) => ({
      ...error,
      pointer: basePointer + error.pointer,
    }));
    return { ok: false, errors };
  }
  const { paths, ...proposalBody } = parsed.data;
  const checked = checkProposal(proposalBody, basePointer);
  if (!checked.ok) return { ok: false, errors: checked.errors };
  return { ok: true, answer: generateConfig(checked.proposal, { basePointer, ...(paths ? { paths } : {}) }) };
}

export function registerConfigRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(postConfigRoute, (c) => {
    const { paths, ...proposalBody } = c.req.valid('json');
    const parsed = parseProposal(c, proposalBody);
    if (!parsed.ok) return parsed.response as never;
    return c.json(generateConfig(parsed.proposal, paths ? { paths } : {}), 200);
  });
}
