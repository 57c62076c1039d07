/**
 * @module routes/quorum
 * GET /v1/quorum and GET /v1/quorum/table: majority arithmetic, learners excluded.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { analyzeQuorum, quorumTable } from '../../domain/quorum.js';
import { etcdVersions } from '../../domain/etcd-versions.js';
import { limits } from '../limits.js';
import { FindingSchema, errorResponses, getErrorStatuses, integerQuery } from '../schemas/common.js';
import type { AppEnv } from '../app-env.js';
import { cacheableJson } from '../cacheable-json.js';

const QuorumQuerySchema = z.object({
  voters: integerQuery({
    min: 0,
    max: limits.maxQuorumVoters,
    maxName: 'maxQuorumVoters',
    description: 'Voting members (etcd members that are not learners).',
    example: 3,
  }),
  learners: integerQuery({
    min: 0,
    max: limits.maxQuorumLearners,
    maxName: 'maxQuorumLearners',
    description: 'Learner members: they replicate but do not vote. Default 0.',
    example: 0,
  }).optional(),
  etcdVersion: z
    .enum(etcdVersions)
    .optional()
    .openapi({ description: 'etcd minor version; decides the learner limit. Default 3.5.', example: '3.5' }),
  maxLearners: integerQuery({
    min: 1,
    max: limits.maxQuorumLearners,
    maxName: 'maxQuorumLearners',
    description:
      "etcd 3.6's --max-learners (default 1). 3.4 and 3.5 fix the limit at 1: another value there gets a MAX_LEARNERS_NOT_A_FLAG warning.",
    example: 1,
  }).optional(),
});

const QuorumAnswerSchema = z
  .object({
    voters: z.number().int(),
    learners: z.number().int(),
    quorum: z
      .number()
      .int()
      .openapi({ description: 'Votes needed to elect a leader or commit a write: floor(voters/2)+1.' }),
    tolerableFailures: z.number().int().openapi({ description: 'Voters that can be lost while the rest keep quorum.' }),
    etcdVersion: z.enum(etcdVersions),
    learnerLimit: z.number().int().openapi({ description: 'Learners this etcd version accepts at once.' }),
    findings: z.array(FindingSchema),
    summary: z.string().openapi({ description: 'A short paragraph with the numbers, to quote as is.' }),
  })
  .openapi('QuorumAnswer');

const QuorumRowSchema = z
  .object({ voters: z.number().int(), quorum: z.number().int(), tolerableFailures: z.number().int() })
  .openapi('QuorumRow');

const QuorumTableSchema = z.object({ rows: z.array(QuorumRowSchema), summary: z.string() }).openapi('QuorumTable');

const quorumExample = analyzeQuorum({ voters: 4, learners: 1 });

const getQuorumRoute = createRoute({
  method: 'get',
  path: '/v1/quorum',
  operationId: 'getQuorum',
  tags: ['Quorum'],
  summary: 'Quorum size and tolerable failures for a number of etcd voters and learners',
  description:
    'Majority quorum as etcd Raft computes it: quorum = floor(voters/2)+1, tolerable failures = voters − quorum. Learners never vote ' +
    'and never count. Findings flag even voter counts, a single voter, more than 7 voters, zero voters and learners beyond the ' +
    "version's limit. The answer depends only on the query, so it is cacheable (strong ETag; If-None-Match gives 304).",
  request: { query: QuorumQuerySchema },
  responses: {
    200: {
      description: 'The quorum arithmetic and findings.',
      headers: z.object({ ETag: z.string(), 'Cache-Control': z.string() }),
      content: { 'application/json': { schema: QuorumAnswerSchema, example: quorumExample } },
    },
    304: { description: 'Not modified: the If-None-Match ETag still matches.' },
    ...errorResponses(...getErrorStatuses),
  },
});

const getQuorumTableRoute = createRoute({
  method: 'get',
  path: '/v1/quorum/table',
  operationId: 'getQuorumTable',
  tags: ['Quorum'],
  summary: 'The cluster size / quorum / tolerable failures table for sizes 1..max',
  description: `The etcd FAQ table, for 1..max voters (max ≤ ${limits.maxQuorumTableSize}, the limit maxQuorumTableSize; default 9). Cacheable like /v1/quorum.`,
  request: {
    query: z.object({
      max: integerQuery({
        min: 1,
        max: limits.maxQuorumTableSize,
        maxName: 'maxQuorumTableSize',
        description: 'Largest cluster size in the table. Default 9.',
        example: 9,
      }).optional(),
    }),
  },
  responses: {
    200: {
      description: 'One row per cluster size.',
      headers: z.object({ ETag: z.string(), 'Cache-Control': z.string() }),
      content: {
        'application/json': { schema: QuorumTableSchema, example: { rows: quorumTable(3), summary: tableSummary(3) } },
      },
    },
    304: { description: 'Not modified: the If-None-Match ETag still matches.' },
    ...errorResponses(...getErrorStatuses),
  },
});

function tableSummary(max: number): string {
  return (
    `Quorum is a strict majority of the voters. For 1 to ${max} voters, an odd size gives the most tolerance per member: ` +
    'adding a member to an odd-sized cluster raises the quorum without tolerating any more failures.'
  );
}

export function registerQuorumRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getQuorumRoute, (c) => {
    const query = c.req.valid('query');
    const answer = analyzeQuorum({
      voters: query.voters,
      learners: query.learners ?? 0,
      ...(query.etcdVersion ? { etcdVersion: query.etcdVersion } : {}),
      ...(query.maxLearners !== undefined ? { maxLearners: query.maxLearners } : {}),
    });
    return cacheableJson(c, answer) as never;
  });

  app.openapi(getQuorumTableRoute, (c) => {
    const max = c.req.valid('query').max ?? 9;
    return cacheableJson(c, { rows: quorumTable(max), summary: tableSummary(max) }) as never;
  });
}
