/**
 * @module schemas/changes
 * POST /v1/changes: the request (current and target, each the proposal of POST /v1/plans, plus options) and
 * the change plan it answers with.
 */
import { z } from '@hono/zod-openapi';
import { etcdVersions } from '../../domain/etcd-versions.js';
import { limits } from '../limits.js';
import { FindingSchema, SourceSchema } from './common.js';
import { CommandLineSchema, ConfigPathsInputSchema, ConfigPathsSchema } from './config.js';
import { ProposalInputSchema } from './proposal.js';

const memberNames = (description: string) =>
  z
    .array(
      z
        .string()
        .min(1)
        .max(limits.maxNameLength, `Must be at most ${limits.maxNameLength} characters (the limit maxNameLength).`),
    )
    .max(limits.maxEtcdMembers, `List at most ${limits.maxEtcdMembers} members (the limit maxEtcdMembers).`)
    .optional()
    .openapi({ description });

const ChangeOptionsSchema = z
  .object({
    etcdVersionPath: z
      .array(z.enum(etcdVersions))
      .min(1, 'List at least the current version.')
      .max(etcdVersions.length, `List at most ${etcdVersions.length} versions (each supported minor once).`)
      .optional()
      .openapi({
        description:
          'The etcd minor versions to pass through, current first and target last, one minor apart (e.g. ["3.4","3.5","3.6"]). Default: one minor at a time.',
        example: ['3.4', '3.5', '3.6'],
      }),
    downtimeAcceptable: z.boolean().optional().openapi({
      description: 'Whether a planned write outage is acceptable (a restore from a snapshot needs one). Default false.',
    }),
    replaceMembers: memberNames(
      'Members of `current` to rebuild in place (same name and address, fresh data directory), e.g. after a disk failure.',
    ),
    failedMembers: memberNames(
      'Members of `current` that are down now: removed first, or rebuilt if the target keeps them.',
    ),
    restoreFromSnapshot: z.boolean().optional().openapi({
      description:
        'Rebuild every member from one snapshot with a new cluster token (needs downtimeAcceptable). Default false.',
    }),
    paths: ConfigPathsInputSchema.optional(),
  })
  .strict()
  .openapi('ChangeOptions');

export const ChangeRequestSchema = z
  .object({
    current: ProposalInputSchema.openapi({
      description: 'The cluster as it runs today (same schema as POST /v1/plans).',
    }),
    target: ProposalInputSchema.openapi({
      description: 'The cluster you want. Members and nodes are matched to `current` by name.',
    }),
    options: ChangeOptionsSchema.optional(),
  })
  .strict()
  .openapi('ChangeRequest');

const MembershipSchema = z
  .object({
    etcdVoters: z.array(z.string()).openapi({ description: 'The voting members by name (`voterCount` counts them).' }),
    etcdLearners: z.array(z.string()).openapi({ description: 'The learners by name.' }),
    down: z
      .array(z.string())
      .openapi({ description: 'Voters not running during the step (failed, or stopped by it).' }),
    voterCount: z.number().int(),
    quorum: z.number().int(),
    tolerableFailures: z.number().int().openapi({ description: 'Further voter failures survived; 0 without quorum.' }),
    writable: z.boolean(),
  })
  .openapi('Membership');

const ElectionEstimateSchema = z
  .object({
    scenario: z.string(),
    trials: z.number().int(),
    seed: z.number().int(),
    p50Ms: z.number().nullable(),
    p90Ms: z.number().nullable(),
  })
  .openapi('ElectionEstimate', { description: 'Time without a writable leader, from seeded election-engine trials.' });

const StepSchema = z
  .object({
    index: z.number().int(),
    action: z.enum([
      'snapshot-save',
      'add-learner',
      'promote',
      'move-leader',
      'remove-member',
      'update-apiserver',
      'kubeadm-join',
      'kubeadm-reset',
      'upgrade-member',
      'enable-downgrade',
      'stop-cluster',
      'restore-member',
      'start-cluster',
    ]),
    title: z.string(),
    member: z.string().optional(),
    node: z.string().optional(),
    commands: z.array(
      z.object({
        runOn: z.string().openapi({ description: 'The host, or "any" host with etcdctl and the client certificate.' }),
        purpose: z.string(),
        command: CommandLineSchema,
        onlyIf: z
          .object({ kind: z.literal('member-leads'), member: z.string() })
          .optional()
          .openapi({ description: 'Run only when this member leads (see the step’s first check).' }),
      }),
    ),
    manifestEdits: z.array(
      z.object({
        host: z.string(),
        file: z.string(),
        changes: z
          .array(z.object({ flag: z.string(), from: z.string().nullable(), to: z.string().nullable() }))
          .openapi({ description: 'Flag values before and after (null: absent); `image` is the container image.' }),
      }),
    ),
    checks: z.array(z.object({ description: z.string(), command: CommandLineSchema.optional(), expect: z.string() })),
    membershipChange: z
      .object({ kind: z.enum(['add-learner', 'promote', 'remove', 'rebuild']), member: z.string() })
      .nullable()
      .openapi({ description: 'The one membership change of this step, if any.' }),
    membership: MembershipSchema.openapi({ description: 'At the riskiest moment of the step.' }),
    membershipAfter: MembershipSchema,
    risk: z.object({
      expectedDurationS: z.number().openapi({ description: 'Operator estimate of wall time, not measured.' }),
      leaderElection: z.enum(['none', 'transfer', 'if-leader', 'certain']),
      simulated: ElectionEstimateSchema.nullable(),
      note: z.string(),
    }),
    rollback: z.object({ description: z.string(), commands: z.array(CommandLineSchema) }),
    source: z.array(SourceSchema),
  })
  .openapi('ChangeStep');

const FactsSchema = z.object({
  topology: z.enum(['stacked', 'external']),
  etcdVersion: z.enum(etcdVersions),
  etcdVoters: z.array(z.string()).openapi({ description: 'The voting members by name.' }),
  etcdLearners: z.array(z.string()).openapi({ description: 'The learners by name.' }),
  controlPlaneNodes: z.array(z.string()),
});

export const ChangePlanSchema = z
  .object({
    kinds: z.array(
      z.enum([
        'grow',
        'shrink',
        'replace',
        'move-zones',
        'stacked-to-external',
        'external-to-stacked',
        'upgrade',
        'downgrade',
        'control-plane-nodes',
        'restore',
        'none',
      ]),
    ),
    from: FactsSchema,
    to: FactsSchema,
    versionPath: z.array(z.enum(etcdVersions)),
    plannedDowntime: z.boolean(),
    steps: z.array(StepSchema),
    lowestTolerableFailures: z.number().int(),
    lowestToleranceSteps: z.array(z.number().int()),
    peakVoters: z.number().int(),
    expectedWriteUnavailability: z.object({
      electionsP50Ms: z.number(),
      electionsP90Ms: z.number(),
      trialsPerCase: z.number().int(),
      stepsWithElections: z.number().int(),
      plannedOutageS: z.number(),
    }),
    paths: ConfigPathsSchema,
    findings: z.array(FindingSchema),
    summary: z.string().openapi({ description: 'At most 400 characters, derived from the fields above only.' }),
  })
  .openapi('ChangePlan');
