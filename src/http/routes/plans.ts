/**
 * @module routes/plans
 * POST /v1/plans (a proposal → its plan) and POST /v1/recommendations (requirements → ranked proposals, each
 * with its plan).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { normalizeProposal } from '../../domain/normalize-proposal.js';
import { analyzePlan, type Plan } from '../../domain/plan/index.js';
import type { Proposal } from '../../domain/proposal.js';
import {
  type CaseDistribution,
  failoverSection,
  failoverTrialsPerCase,
  UnrepresentableDurationError,
} from '../../domain/simulation/control-plane/index.js';
import { WorkBudget, WorkBudgetExceeded } from '../../domain/simulation/work-budget.js';
import { simulationWorkErrors } from './simulations-control-plane.js';
import { normalizeRecommendationInput, recommend } from '../../domain/plan/recommend.js';
import type { Context } from 'hono';
import { planChartSvg } from '../../render/index.js';
import type { AppEnv } from '../app-env.js';
import { BoundedCache } from '../bounded-cache.js';
import { svgContent, svgNegotiationNote, svgResponse, wantsSvg } from '../render/negotiate.js';
import { limits } from '../limits.js';
import { normalizationProblemErrors, parseProposal } from '../parse-proposal.js';
import { problemResponse } from '../problem.js';
import { errorResponses, jsonWithLazyExample, postErrorStatuses } from '../schemas/common.js';
import { PlanSchema, RecommendationAnswerSchema } from '../schemas/plan.js';
import { ProposalInputSchema, proposalExamples } from '../schemas/proposal.js';
import { RecommendationInputSchema, recommendationExamples } from '../schemas/recommendation.js';
import { validationDetail } from '../validation.js';

/** Where the same body can be POSTed next: as is to config, as `{"cluster": body}` to simulations. */
const planLinks = { config: '/v1/config', simulations: '/v1/simulations' } as const;

function withLinks<T extends Plan>(plan: T) {
  return { ...plan, links: planLinks };
}

/** Whether the failover section is asked for: explicitly (`true`), by default (absent), or not (`false`). */
type FailoverWish = 'explicit' | 'default' | 'off';

/**
 * The plan plus its failover section (only /v1/plans: recommendations plan many candidates and skip it). The
 * section's work is bounded by maxFailoverSectionEvents. A section that does not fit (or whose durations are
 * finer than the simulation's clock) throws when asked for explicitly, which the route answers with a 400
 * naming the limit; by default the plan is answered without it (`failover: null`), as for a hosted platform.
 */
function planWithFailover(proposal: Proposal, wish: FailoverWish) {
  const plan = analyzePlan(proposal);
  return { ...plan, failover: wish === 'off' ? null : failoverOf(proposal, wish === 'explicit') };
}

/**
 * Failover distributions already simulated, by canonical simulation input (failover-canonical.ts): the same loss
 * up to names, in this proposal or an earlier one, is simulated once. A distribution is a function of its key
 * alone and a cached one charges the work budget what its run did, so the cache never changes an answer.
 * Bounded: 256 distributions of about 1 KB each, plus their keys (the canonical input's JSON, 0.5–4 KB).
 */
export const failoverDistributions = new BoundedCache<CaseDistribution>(256);

/** Every section's base seed: a case's trials are seeded from it and the case's canonical input. */
const failoverSeed = 1;

function failoverOf(proposal: Proposal, explicit: boolean) {
  const budget = new WorkBudget(limits.maxFailoverSectionEvents, 'maxFailoverSectionEvents');
  try {
    return failoverSection(proposal, { seed: failoverSeed, budget, store: failoverDistributions });
  } catch (error) {
    if (!explicit && (error instanceof WorkBudgetExceeded || error instanceof UnrepresentableDurationError))
      return null;
    throw error;
  }
}

/**
 * The plan's body: a proposal plus one plan option. The failover section runs the election engine and the
 * control-plane simulation for every distinct single-node and single-zone loss, which costs tens to hundreds of
 * milliseconds of CPU when its losses were not simulated before, against well under one for the rest of the
 * plan; it is on by default and `false` skips it.
 * Built as a fresh object rather than with .extend(): the generator would emit allOf, and MCP tools need a
 * plain object schema.
 */
export const PlanRequestSchema = z
  .object({
    ...ProposalInputSchema.shape,
    failover: z
      .boolean()
      .optional()
      .openapi({
        description:
          'Simulate every single-node and single-zone loss and report the expected gaps (p50/p90) in `failover`. Default true; ' +
          `false skips it. It costs tens to hundreds of ms of CPU for losses not simulated before (${failoverTrialsPerCase} seeded trials per distinct loss, ` +
          'the fewest that support a p90; losses that are the same up to names share one simulation, across requests too; bounded by maxFailoverSectionEvents). ' +
          'Left out, a section that would exceed maxFailoverSectionEvents is null; `true` makes that a 400 naming the limit.',
        example: false,
      }),
  })
  .strict()
  .openapi('PlanRequest');

const planExamples = {
  ...proposalExamples,
  withoutFailover: {
    summary: 'The minimal 3-node stacked cluster, without the failover section (the static plan only)',
    value: { ...proposalExamples.minimalStacked.value, failover: false },
  },
};

function examplePlan() {
  const result = normalizeProposal(proposalExamples.minimalStacked.value);
  if (!result.ok) throw new Error('the minimal example must be valid');
  return withLinks(planWithFailover(result.proposal, 'explicit'));
}

const recommendationBounds = { maxVoters: limits.maxEtcdMembers, maxControlPlaneNodes: limits.maxControlPlaneNodes };

function exampleRecommendation() {
  const result = normalizeRecommendationInput(recommendationExamples.surviveZoneLoss.value, recommendationBounds);
  if (!result.ok) throw new Error('the recommendation example must be valid');
  return recommend(result.request);
}

const postPlanRoute = createRoute({
  method: 'post',
  path: '/v1/plans',
  operationId: 'createPlan',
  tags: ['Planning'],
  summary: 'Plan a proposed control plane: quorum, failure domains, stacked vs external, write latency and findings',
  description:
    'Takes a proposed cluster (counts or named nodes and members, zones, RTTs, etcd and leader-election settings) and answers: quorum and ' +
    'tolerable failures of the etcd voters; the placement; for every host and every zone whether losing it keeps etcd quorum, a serving ' +
    'apiserver and a possible controller-manager/scheduler leader; the largest number of arbitrary host failures survived, found by ' +
    'enumerating failure sets (exact within the request limits); stacked and external side by side; the write-latency floor; findings ' +
    'with stable codes, JSON pointers into the body and sources; unless `"failover": false`, a `failover` section with the expected gaps (p50/p90 of etcd writes, API ' +
    'writes and reads through the load balancer, controller-manager and scheduler leadership) for each single-node and single-zone loss, ' +
    `from ${failoverTrialsPerCase} seeded trials per distinct case of the etcd engine and the control-plane simulation, each percentile with its trial count ` +
    '(losses that are the same up to names share one simulation, also across requests, so a loss seen before costs nothing); and a summary to quote. On the hosted platform sizing does not apply and ' +
    'the figures are null. The same body can be POSTed as is to /v1/config, and to /v1/simulations as `{"cluster": <body>}` (see `links`).' +
    `${svgNegotiationNote}: the placement diagram (zones as columns, hosts with what they run, voters and learners, what each host or zone loss stops); GET /charts/plan.svg gives the same picture for a URL.`,
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: PlanRequestSchema, examples: planExamples } },
    },
  },
  responses: {
    200: {
      description: 'The plan; with `Accept: image/svg+xml`, its placement diagram.',
      content: {
        'application/json': jsonWithLazyExample(PlanSchema, examplePlan),
        ...svgContent('Placement: stacked control plane over 3 zones'),
      },
    },
    ...errorResponses(...postErrorStatuses),
  },
});

const postRecommendationsRoute = createRoute({
  method: 'post',
  path: '/v1/recommendations',
  operationId: 'createRecommendations',
  tags: ['Planning'],
  summary: 'Smallest proposals that survive given node failures and zone loss, ranked, each with its full plan',
  description:
    'The inverse of /v1/plans: give the host failures to survive, whether any one zone may be lost, the zones and their RTTs, a topology ' +
    'preference, a host budget and the etcd version. The answer ranks the smallest proposals (fewest hosts, then lowest worst-case write ' +
    "latency): voter count, per-zone placement, topology, hosts, and heartbeat and election timeout tuned to the voters' largest RTT per " +
    "etcd's tuning guide, each with the proposal body and its full plan. When nothing fits (e.g. a zone loss with 2 zones), " +
    '`feasible` is false, `reasons` say why, and `alternatives` give the closest proposals, each relaxing one requirement.',
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: RecommendationInputSchema, examples: recommendationExamples } },
    },
  },
  responses: {
    200: {
      description: 'Ranked recommendations, or why there are none.',
      content: { 'application/json': jsonWithLazyExample(RecommendationAnswerSchema, exampleRecommendation) },
    },
    ...errorResponses(...postErrorStatuses),
  },
});

/** The answer to a validated plan body: JSON, or the placement diagram when the client asked for SVG. */
export function planResponse(c: Context, body: z.infer<typeof PlanRequestSchema>): Response {
  const { failover, ...proposalBody } = body;
  const parsed = parseProposal(c, proposalBody);
  if (!parsed.ok) return parsed.response;
  // The placement diagram does not show the failover section: an SVG answer never pays for it.
  const wish: FailoverWish = failover === false || wantsSvg(c) ? 'off' : failover === true ? 'explicit' : 'default';
  let plan: ReturnType<typeof withLinks<ReturnType<typeof planWithFailover>>>;
  try {
    plan = withLinks(planWithFailover(parsed.proposal, wish));
  } catch (error) {
    const errors = simulationWorkErrors(error, '', '/failover', failoverAdvice);
    if (!errors) throw error;
    return problemResponse(c, 'validation', 400, validationDetail(errors), { errors });
  }
  if (wantsSvg(c)) return svgResponse(c, planChartSvg(plan));
  c.header('Vary', 'Accept');
  return c.json(plan, 200);
}

const failoverAdvice =
  'Use a longer interval or period here, or plan without the failover section ("failover": false; left out, the plan answers with "failover": null instead of this error).';

export function registerPlanRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(postPlanRoute, (c) => planResponse(c, c.req.valid('json')) as never);

  app.openapi(postRecommendationsRoute, (c) => {
    const result = normalizeRecommendationInput(c.req.valid('json'), recommendationBounds);
    if (!result.ok) {
      const errors = normalizationProblemErrors(result.errors);
      return problemResponse(c, 'validation', 400, validationDetail(errors), { errors }) as never;
    }
    return c.json(recommend(result.request), 200);
  });
}
