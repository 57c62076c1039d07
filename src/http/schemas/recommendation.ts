/**
 * @module schemas/recommendation
 * The body of POST /v1/recommendations: what must be survived, where, and within what budget.
 */
import { z } from '@hono/zod-openapi';
import { etcdVersions } from '../../domain/etcd-versions.js';
import type { RecommendationInput } from '../../domain/plan/recommend.js';
import { limits } from '../limits.js';
import { NetworkInputSchema, ZoneSchema } from './proposal.js';

/** With at most maxEtcdMembers voters, the most failures any proposal can survive: (9 − 1) / 2 = 4. */
const maxNodeFailures = Math.floor((limits.maxEtcdMembers - 1) / 2);
const maxHosts = limits.maxControlPlaneNodes + limits.maxEtcdMembers;

export const RecommendationInputSchema = z
  .object({
    nodeFailures: z
      .number()
      .int('Must be a whole number.')
      .min(0, 'Must be at least 0.')
      .max(
        maxNodeFailures,
        `Must be at most ${maxNodeFailures}: the most etcd voters accepted (${limits.maxEtcdMembers}, the limit maxEtcdMembers) survive ${maxNodeFailures} failures.`,
      )
      .optional()
      .openapi({
        description: 'Arbitrary host failures (at once, any hosts) the cluster must keep working through. Default 1.',
        example: 1,
      }),
    zoneLoss: z
      .boolean()
      .optional()
      .openapi({ description: 'The loss of any one zone must be survived too. Default false.', example: true }),
    zones: z
      .array(ZoneSchema)
      .min(1, 'List at least one zone, or leave zones out.')
      .max(limits.maxZones, `List at most ${limits.maxZones} zones (the limit maxZones).`)
      .optional()
      .openapi({
        description: 'The zones available, in order of preference. Default one zone, "zone-a".',
        example: ['zone-a', 'zone-b', 'zone-c'],
      }),
    network: NetworkInputSchema.optional(),
    topology: z
      .enum(['stacked', 'external', 'any'])
      .optional()
      .openapi({ description: 'Topology preference. Default "any": both are considered and ranked.' }),
    maxHosts: z
      .number()
      .int('Must be a whole number.')
      .min(1, 'Must be at least 1.')
      .max(maxHosts, `Must be at most ${maxHosts} (the limits maxControlPlaneNodes + maxEtcdMembers).`)
      .optional()
      .openapi({ description: 'Host budget: control-plane nodes plus dedicated etcd hosts.' }),
    etcd: z
      .object({
        version: z.enum(etcdVersions).optional().openapi({ description: 'etcd minor version. Default 3.5.' }),
        diskSyncMs: z
          .number()
          .min(0, 'Must be at least 0.')
          .max(limits.maxDiskSyncMs, `Must be at most ${limits.maxDiskSyncMs} (the limit maxDiskSyncMs).`)
          .optional()
          .openapi({ description: 'fsync time, in ms. Default 1.' }),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi('RecommendationInput', { description: 'Requirements for a control plane; every field is optional.' });

export const recommendationExamples = {
  minimalStacked: {
    summary: 'Minimal: survive 1 node failure, stacked (3 stacked nodes)',
    value: { nodeFailures: 1, topology: 'stacked' },
  },
  externalFiveOverThreeZones: {
    summary: '2 failures and any zone, external etcd over 3 zones with measured RTTs (5 members, 2/2/1)',
    value: {
      nodeFailures: 2,
      zoneLoss: true,
      topology: 'external',
      zones: ['zone-a', 'zone-b', 'zone-c'],
      network: {
        intraZoneRttMs: 0.3,
        zoneRttMs: [
          { from: 'zone-a', to: 'zone-b', rttMs: 1.1 },
          { from: 'zone-a', to: 'zone-c', rttMs: 1.6 },
          { from: 'zone-b', to: 'zone-c', rttMs: 1.4 },
        ],
      },
    },
  },
  twoZones: {
    summary: 'A 2-zone layout asked to survive a zone loss (impossible: the answer says why)',
    value: { nodeFailures: 1, zoneLoss: true, zones: ['dc-east', 'dc-west'], network: { interZoneRttMs: 8 } },
  },
  surviveZoneLoss: {
    summary: 'Survive 1 node failure and any one zone (3 zones), either topology',
    value: { nodeFailures: 1, zoneLoss: true, zones: ['zone-a', 'zone-b', 'zone-c'] },
  },
} satisfies Record<string, { summary: string; value: RecommendationInput }>;

type SchemaInput = z.infer<typeof RecommendationInputSchema>;
type Assert<T extends true> = T;
type _RecommendationSchemaMatchesDomain = Assert<
  SchemaInput extends RecommendationInput ? (RecommendationInput extends SchemaInput ? true : false) : false
>;
