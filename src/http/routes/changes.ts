/**
 * @module routes/changes
 * POST /v1/changes: a safe, ordered plan from the cluster that runs today (`current`) to the proposed one
 * (`target`): the exact etcdctl, kubeadm and manifest changes, the checks between steps, the membership and
 * tolerance at every step, the simulated cost of leader moves, and how to roll each step back. A change that
 * cannot be made safely answers 422 problem+json naming the reason and the field.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { type ChangePlan, type ChangeRefusal, planChanges } from '../../domain/changes/index.js';
import type { ProposalInput } from '../../domain/proposal-input.js';
import type { AppEnv } from '../app-env.js';
import { limits } from '../limits.js';
import { checkProposal } from '../parse-proposal.js';
import { type ProblemError, problemContentType, problemResponse, ProblemSchema } from '../problem.js';
import { ChangePlanSchema, ChangeRequestSchema } from '../schemas/changes.js';
import { errorResponses, jsonWithLazyExample, postErrorStatuses } from '../schemas/common.js';
import { validationDetail } from '../validation.js';
import type { z } from '@hono/zod-openapi';

const three = (version: '3.4' | '3.5' | '3.6' = '3.5') => ({
  topology: 'external' as const,
  controlPlane: { nodes: 3, zones: ['zone-a', 'zone-b', 'zone-c'] },
  etcd: {
    version,
    members: [
      { name: 'etcd-1', zone: 'zone-a', address: '10.0.1.21' },
      { name: 'etcd-2', zone: 'zone-b', address: '10.0.2.21' },
      { name: 'etcd-3', zone: 'zone-c', address: '10.0.3.21' },
    ],
  },
});
const five = () => ({
  ...three(),
  etcd: {
    version: '3.5' as const,
    members: [
      ...three().etcd.members,
      { name: 'etcd-4', zone: 'zone-a', address: '10.0.1.22' },
      { name: 'etcd-5', zone: 'zone-b', address: '10.0.2.22' },
    ],
  },
});
const stacked = (version: '3.4' | '3.5' | '3.6' = '3.5') => ({
  topology: 'stacked' as const,
  controlPlane: {
    nodes: [
      { name: 'cp-1', zone: 'zone-a', address: '10.0.1.11' },
      { name: 'cp-2', zone: 'zone-b', address: '10.0.2.11' },
      { name: 'cp-3', zone: 'zone-c', address: '10.0.3.11' },
    ],
  },
  etcd: { version },
});

export const changeExamples = {
  grow3to5: { summary: 'Grow: 3 → 5 external members', value: { current: three(), target: five() } },
  shrink5to3: { summary: 'Shrink: 5 → 3 external members', value: { current: five(), target: three() } },
  grow1to3: {
    summary: 'Grow: 1 → 3 stacked control-plane nodes (kubeadm join)',
    value: {
      current: { ...stacked(), controlPlane: { nodes: [stacked().controlPlane.nodes[0]!] } },
      target: stacked(),
    },
  },
  replaceNewAddress: {
    summary: 'Replace a member with a new host (new name and address)',
    value: {
      current: three(),
      target: {
        ...three(),
        etcd: {
          version: '3.5',
          members: [
            three().etcd.members[0]!,
            three().etcd.members[1]!,
            { name: 'etcd-3b', zone: 'zone-c', address: '10.0.3.22' },
          ],
        },
      },
    },
  },
  replaceFailedSameAddress: {
    summary: 'Replace a failed member at the same address',
    value: { current: three(), target: three(), options: { failedMembers: ['etcd-2'] } },
  },
  moveZones: {
    summary: 'Move members from 2 zones to 3',
    value: {
      current: {
        ...three(),
        etcd: {
          version: '3.5',
          members: [
            { name: 'etcd-1', zone: 'zone-a', address: '10.0.1.21' },
            { name: 'etcd-2', zone: 'zone-a', address: '10.0.1.22' },
            { name: 'etcd-3', zone: 'zone-b', address: '10.0.2.21' },
          ],
        },
      },
      target: {
        ...three(),
        etcd: {
          version: '3.5',
          members: [
            { name: 'etcd-1', zone: 'zone-a', address: '10.0.1.21' },
            { name: 'etcd-4', zone: 'zone-c', address: '10.0.3.21' },
            { name: 'etcd-3', zone: 'zone-b', address: '10.0.2.21' },
          ],
        },
      },
    },
  },
  stackedToExternal: { summary: 'Stacked → external etcd', value: { current: stacked(), target: three() } },
  externalToStacked: { summary: 'External → stacked etcd', value: { current: three(), target: stacked() } },
  upgrade34to36: {
    summary: 'etcd minor upgrade 3.4 → 3.5 → 3.6',
    value: { current: three('3.4'), target: three('3.6'), options: { etcdVersionPath: ['3.4', '3.5', '3.6'] } },
  },
  downgrade36to35: {
    summary: 'etcd minor downgrade 3.6 → 3.5 (downgrade enable, then one member at a time)',
    value: { current: three('3.6'), target: three('3.5') },
  },
  controlPlaneNodes: {
    summary: 'Control-plane nodes 3 → 5 (external etcd: no member change)',
    value: {
      current: three(),
      target: { ...three(), controlPlane: { nodes: 5, zones: ['zone-a', 'zone-b', 'zone-c'] } },
    },
  },
  restoreFromSnapshot: {
    summary: 'Restore from a snapshot after losing quorum',
    value: {
      current: three(),
      target: three(),
      options: { failedMembers: ['etcd-2', 'etcd-3'], downtimeAcceptable: true },
    },
  },
} satisfies Record<
  string,
  { summary: string; value: { current: ProposalInput; target: ProposalInput; options?: object } }
>;

const refusedExample = {
  type: '/problems/unsafe-change',
  title: 'Unsafe or impossible change',
  status: 422,
  detail:
    'ETCD_DOWNGRADE_TOO_FAR: etcd 3.6 → 3.4 is a downgrade of 2 minor versions; etcd downgrades one minor version at a time and a fully downgraded cluster cannot be downgraded again with its data intact. Downgrade to 3.5 first, or restore a snapshot taken on 3.4 (restoreFromSnapshot).',
  instance: '/v1/changes',
  errors: [
    {
      pointer: '/target/etcd/version',
      location: 'body',
      detail: 'ETCD_DOWNGRADE_TOO_FAR: etcd 3.6 → 3.4 is a downgrade of 2 minor versions; …',
    },
  ],
};

type ChangeBody = z.infer<typeof ChangeRequestSchema>;

/** The plan for a request body, without HTTP (MCP, tests): 400-style errors, 422 refusals, or the plan. */
export function changesForBody(
  body: ChangeBody,
): { ok: true; plan: ChangePlan } | { ok: false; status: 400 | 422; errors: ProblemError[]; codes: string[] } {
  const current = checkProposal(body.current, '/current');
  const target = checkProposal(body.target, '/target');
  const errors = [...(current.ok ? [] : current.errors), ...(target.ok ? [] : target.errors)];
  if (!current.ok || !target.ok) return { ok: false, status: 400, errors, codes: [] };
  const result = planChanges({
    current: current.proposal,
    target: target.proposal,
    options: { ...(body.options ?? {}), trials: limits.changePlanTrialsPerCase },
  });
  if (result.ok) return { ok: true, plan: result.plan };
  const toError = (r: ChangeRefusal): ProblemError => ({
    pointer: r.pointer,
    location: 'body',
    detail: `${r.code}: ${r.detail}`,
  });
  const invalid = result.refusals.filter((r) => r.code === 'UNKNOWN_MEMBER');
  if (invalid.length > 0) return { ok: false, status: 400, errors: invalid.map(toError), codes: [] };
  return { ok: false, status: 422, errors: result.refusals.map(toError), codes: result.refusals.map((r) => r.code) };
}

function exampleAnswer(): ChangePlan {
  const result = changesForBody(changeExamples.grow3to5.value);
  if (!result.ok) throw new Error('the grow example must plan');
  return result.plan;
}

const postChangesRoute = createRoute({
  method: 'post',
  path: '/v1/changes',
  operationId: 'createChangePlan',
  tags: ['Changes'],
  summary: 'A safe step-by-step plan from the cluster you run to the proposed one, with quorum kept at every step',
  description:
    'Give `current` and `target` (each the proposal of POST /v1/plans; members and nodes matched by name: a name only in target is ' +
    'new, only in current is removed, the same name elsewhere is rebuilt) and options (etcd version path, whether downtime is ' +
    'acceptable, members to replace or that are down). The answer is ordered steps: what changes (add a learner, promote, move ' +
    'leadership, remove, update kube-apiserver --etcd-servers, kubeadm join --control-plane or kubeadm reset, one etcd minor version, ' +
    'snapshot save, restore); the exact commands (etcdctl with endpoints and TLS flags as in /v1/config, kubeadm, manifest edits as ' +
    "flag diffs); the checks before going on (endpoint health, a learner at 90% of the leader's log, endpoint status); the membership " +
    'during and after (voters, quorum, tolerable failures); the risk window (an operator estimate of duration, whether it costs a ' +
    `leader election, and the simulated write pause from ${limits.changePlanTrialsPerCase} seeded election-engine trials per case); and the rollback. ` +
    'One membership change at a time, new members as learners first, growth before shrinkage, leadership moved off a member before ' +
    'it leaves. For the plan: the lowest tolerance reached and where, the expected write unavailability, findings and a summary. ' +
    'Kinds: grow, shrink, replace, move-zones, stacked-to-external, external-to-stacked, upgrade, downgrade, control-plane-nodes, ' +
    'restore. A change that cannot be made safely answers 422 with the reason (ETCD_DOWNGRADE_TOO_FAR, ETCD_VERSION_PATH_INVALID, ' +
    'NO_QUORUM_ON_THE_WAY, RESTORE_NEEDS_DOWNTIME, HOSTED_CONTROL_PLANE); a change etcd would refuse as asked (e.g. two voters at ' +
    'once) is routed around and the findings say why. Deterministic: the same body gives the same bytes.',
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: ChangeRequestSchema, examples: changeExamples } },
    },
  },
  responses: {
    200: {
      description: 'The change plan.',
      content: { 'application/json': jsonWithLazyExample(ChangePlanSchema, exampleAnswer) },
    },
    422: {
      description:
        'The change cannot be made safely (or at all) as asked; `errors` name the reason code and the field.',
      content: { [problemContentType]: { schema: ProblemSchema, example: refusedExample } },
    },
    ...errorResponses(...postErrorStatuses),
  },
});

export function registerChangeRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(postChangesRoute, (c) => {
    const result = changesForBody(c.req.valid('json'));
    if (result.ok) return c.json(result.plan, 200);
    if (result.status === 400)
      return problemResponse(c, 'validation', 400, validationDetail(result.errors), { errors: result.errors }) as never;
    const detail = result.errors.map((e) => e.detail).join(' ');
    return problemResponse(c, 'unsafeChange', 422, detail, { errors: result.errors }) as never;
  });
}
