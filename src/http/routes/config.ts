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
import { generateConfig } from '../../domain/config/index.js';
import { normalizeProposal } from '../../domain/normalize-proposal.js';
import type { AppEnv } from '../app-env.js';
import { parseProposal } from '../parse-proposal.js';
import { ConfigAnswerSchema, ConfigPathsInputSchema } from '../schemas/config.js';
import { errorResponses, postErrorStatuses } from '../schemas/common.js';
import { ProposalInputSchema, proposalExamples } from '../schemas/proposal.js';

export const ConfigRequestSchema = ProposalInputSchema.extend({ paths: ConfigPathsInputSchema.optional() })
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
    value: { topology: 'stacked', controlPlane: { nodes: 3 }, etcd: { heartbeatIntervalMs: 100, electionTimeoutMs: 400 } },
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
  summary: 'etcd member flags, kube-apiserver etcd flags, leader-election flags and kubeadm ClusterConfiguration for a proposed cluster',
  description:
    'For the same proposal as POST /v1/plans: each etcd member\'s complete flag set (static bootstrap; --initial-cluster matches every ' +
    'advertised peer URL; TLS with kubeadm\'s paths) and, for learners, etcd\'s real procedure (member add --learner, start with ' +
    '--initial-cluster-state=existing, member promote); kube-apiserver --etcd-servers (stacked: the local member only, as kubeadm ' +
    'does, with the all-members alternative and its trade-off; external: every voter, learners left out with the reason) and ' +
    'certificate flags; kube-controller-manager and kube-scheduler leader-election flags; kubeadm ClusterConfiguration ' +
    '(kubeadm.k8s.io/v1beta4) with controlPlaneEndpoint set to the load balancer. Every artefact comes as structured flags and as ' +
    'rendered text (shell command line, YAML), always consistent. Timings are checked as etcd and client-go check them, with their ' +
    'exact error texts; when a component would refuse them the answer still comes back, with `startable: false`. Hosts without an ' +
    'address get placeholders such as <cp-1-address>, listed in `placeholders`. Deterministic: the same body gives the same bytes.',
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: ConfigRequestSchema, examples: configExamples } },
    },
  },
  responses: {
    200: {
      description: 'The configuration, its findings and whether it would start.',
      content: { 'application/json': { schema: ConfigAnswerSchema, example: exampleAnswer() } },
    },
    ...errorResponses(...postErrorStatuses),
  },
});

export function registerConfigRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(postConfigRoute, (c) => {
    const { paths, ...proposalBody } = c.req.valid('json');
    const parsed = parseProposal(c, proposalBody);
    if (!parsed.ok) return parsed.response as never;
    return c.json(generateConfig(parsed.proposal, paths ? { paths } : {}), 200);
  });
}

/**
 * How other answers refer to this one: by reference, not inline (the configuration is larger than a plan
 * and most plan readers do not need it). POST /v1/plans puts this object in its answer as `config`; the
 * same request body posted here returns the configuration of that plan.
 */
export const configReference = {
  method: 'POST',
  href: '/v1/config',
  description: 'POST this same request body to /v1/config for the etcd, kube-apiserver, leader-election and kubeadm configuration of this plan.',
} as const;
