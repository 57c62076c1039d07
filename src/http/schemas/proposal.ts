/**
 * @module schemas/proposal
 * The proposed cluster, as a request body: POST /v1/plans takes it whole; /v1/config, /v1/simulations and the
 * MCP tools take the same object (sometimes under a key such as `cluster`). Defaults are not zod defaults:
 * generated clients may omit every optional field, and `normalizeProposal` fills them in.
 */
import { z } from '@hono/zod-openapi';
import { etcdVersions } from '../../domain/etcd-versions.js';
import { defaultKubernetesVersion, kubernetesVersions } from '../../domain/kubernetes-versions.js';
import { addressKind, parseHostPort } from '../../domain/address.js';
import type { ProposalInput } from '../../domain/proposal-input.js';
import { limits, type LimitName } from '../limits.js';

function atMost(name: LimitName): string {
  return `Must be at most ${limits[name]} (the limit ${name}).`;
}

function int(min: number, maxName: LimitName) {
  return z
    .number()
    .int('Must be a whole number.')
    .min(min, `Must be at least ${min}.`)
    .max(limits[maxName], atMost(maxName));
}

function nonNegative(maxName: LimitName) {
  return z.number().min(0, 'Must be at least 0.').max(limits[maxName], atMost(maxName));
}

function positive(maxName: LimitName) {
  return z.number().gt(0, 'Must be greater than 0.').max(limits[maxName], atMost(maxName));
}

/** Names become host names, etcd member names (inside --initial-cluster) and zone labels: keep them plain. */
const NameSchema = z
  .string()
  .min(1, 'Must not be empty.')
  .max(limits.maxNameLength, `Must be at most ${limits.maxNameLength} characters (the limit maxNameLength).`)
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/,
    'Use letters, digits, ".", "_" and "-", starting and ending with a letter or digit.',
  );

const AddressSchema = z
  .string()
  .max(253, 'Must be at most 253 characters (the longest DNS name).')
  .refine((text) => addressKind(text) !== undefined, {
    message:
      'Must be an IPv4 address (10.0.0.11), an IPv6 address without brackets (fd00::11) or a DNS name (cp-1.example.internal).',
  })
  .openapi({ description: 'IPv4 or IPv6 literal (no brackets) or DNS name of the host.', example: '10.0.1.11' });

/** A TCP port; 0 (let the kernel pick) makes no sense for a URL other members must reach. */
const PortSchema = z
  .number()
  .int('Must be a whole number.')
  .min(1, 'Must be at least 1.')
  .max(65_535, 'Must be at most 65535 (the largest TCP port).');

export const ZoneSchema = NameSchema.openapi({
  description: 'A failure zone (availability zone, rack, site).',
  example: 'zone-a',
});

const ControlPlaneNodeSchema = z
  .object({
    name: NameSchema.openapi({
      description: 'Host name of the node; stacked etcd names its member after it.',
      example: 'cp-1',
    }),
    zone: ZoneSchema.optional().openapi({
      description: 'Its zone. Default: round-robin over controlPlane.zones by position in the list.',
    }),
    address: AddressSchema.optional(),
  })
  .strict()
  .openapi('ControlPlaneNodeInput');

const EtcdMemberSchema = z
  .object({
    name: NameSchema.openapi({ description: 'etcd member name (`--name`) and host name.', example: 'etcd-1' }),
    zone: ZoneSchema.optional().openapi({
      description: 'Its zone. Default: round-robin over controlPlane.zones by position in the list.',
    }),
    address: AddressSchema.optional(),
    learner: z
      .boolean()
      .optional()
      .openapi({ description: 'A learner replicates but does not vote or count toward quorum. Default false.' }),
    clientPort: PortSchema.optional().openapi({
      description:
        "This member's client port (--listen-client-urls, --advertise-client-urls, the apiserver's --etcd-servers). Default 2379.",
      example: 2379,
    }),
    peerPort: PortSchema.optional().openapi({
      description:
        "This member's peer port (--listen-peer-urls, --initial-advertise-peer-urls, --initial-cluster). Default 2380. " +
        'Members on one machine (one address) need distinct ports.',
      example: 2380,
    }),
    heartbeatIntervalMs: int(0, 'maxEtcdTimingMs').optional().openapi({
      description:
        "This member's own --heartbeat-interval, when it differs from etcd.heartbeatIntervalMs (etcd requires equal values: reported).",
    }),
    electionTimeoutMs: int(0, 'maxEtcdTimingMs').optional().openapi({
      description: "This member's own --election-timeout, when it differs from etcd.electionTimeoutMs (reported).",
    }),
  })
  .strict()
  .openapi('EtcdMemberInput');

const ZoneRttSchema = z
  .object({
    from: ZoneSchema,
    to: ZoneSchema.openapi({ example: 'zone-b' }),
    rttMs: nonNegative('maxRttMs').openapi({
      description: 'Round trip between hosts of the two zones, in ms (the same zone twice: within it).',
      example: 1.2,
    }),
  })
  .strict()
  .openapi('ZoneRtt');

export const NetworkInputSchema = z
  .object({
    intraZoneRttMs: nonNegative('maxRttMs')
      .optional()
      .openapi({ description: 'Round trip between hosts in one zone, in ms. Default 0.5.' }),
    interZoneRttMs: nonNegative('maxRttMs')
      .optional()
      .openapi({ description: 'Round trip between zones without a zoneRttMs entry, in ms. Default 2.' }),
    zoneRttMs: z
      .array(ZoneRttSchema)
      .max(
        limits.maxZoneRttEntries,
        `List at most ${limits.maxZoneRttEntries} zone pairs (the limit maxZoneRttEntries).`,
      )
      .optional()
      .openapi({ description: 'Per zone pair round trips (symmetric; each unordered pair once).' }),
  })
  .strict()
  .openapi('NetworkInput', {
    description: 'Round trips between hosts: within a zone, between zones, and per zone pair.',
  });

export const ProposalInputSchema = z
  .object({
    topology: z.enum(['stacked', 'external']).openapi({
      description:
        '`stacked`: each control-plane node runs an etcd member (kubeadm default); `external`: etcd on its own hosts.',
      example: 'stacked',
    }),
    platform: z.enum(['local', 'self-managed', 'hosted']).optional().openapi({
      description:
        '`local`: a single-node cluster (minikube, kind); `self-managed`: kubeadm-style, you run etcd (default); `hosted`: GKE/EKS/AKS, the provider runs etcd and sizing does not apply.',
    }),
    kubernetesVersion: z
      .enum(kubernetesVersions, {
        error: `Must be a Kubernetes minor from ${kubernetesVersions[0]} to ${kubernetesVersions.at(-1)}, e.g. "1.31".`,
      })
      .optional()
      .openapi({
        description: `Kubernetes minor version of kube-controller-manager and kube-scheduler: decides which leader-election validation rule and text the answer quotes (component-base changed them in 1.26 and 1.34). Default ${defaultKubernetesVersion}.`,
        example: '1.31',
      }),
    controlPlane: z
      .object({
        nodes: z
          .union(
            [
              int(1, 'maxControlPlaneNodes').openapi({
                description: 'How many nodes; they are named cp-1, cp-2, … and spread round-robin over zones.',
                example: 3,
              }),
              z
                .array(ControlPlaneNodeSchema)
                .min(1, 'List at least one control-plane node.')
                .max(
                  limits.maxControlPlaneNodes,
                  `List at most ${limits.maxControlPlaneNodes} nodes (the limit maxControlPlaneNodes).`,
                ),
            ],
            {
              error: `Must be a whole number of nodes from 1 to ${limits.maxControlPlaneNodes} (the limit maxControlPlaneNodes), or a list of nodes.`,
            },
          )
          .openapi({ description: 'A count, or the nodes themselves.' }),
        zones: z
          .array(ZoneSchema)
          .min(1, 'List at least one zone, or leave zones out.')
          .max(limits.maxZones, `List at most ${limits.maxZones} zones (the limit maxZones).`)
          .optional()
          .openapi({
            description:
              'The failure zones, in order; counts are spread over them round-robin. Default: the zones the nodes name, or one zone "zone-a".',
            example: ['zone-a', 'zone-b', 'zone-c'],
          }),
      })
      .strict(),
    etcd: z
      .object({
        members: z
          .union(
            [
              int(1, 'maxEtcdMembers').openapi({
                description: 'How many voting members; named etcd-1, … and spread round-robin over zones.',
                example: 5,
              }),
              z
                .array(EtcdMemberSchema)
                .min(1, 'List at least one etcd member.')
                .max(
                  limits.maxEtcdMembers,
                  `List at most ${limits.maxEtcdMembers} members (the limit maxEtcdMembers).`,
                ),
            ],
            {
              error: `Must be a whole number of members from 1 to ${limits.maxEtcdMembers} (the limit maxEtcdMembers), or a list of members.`,
            },
          )
          .optional()
          .openapi({
            description:
              'External topology only (stacked runs one member per control-plane node). A count or the members. Default 3.',
          }),
        version: z
          .enum(etcdVersions)
          .optional()
          .openapi({ description: 'etcd minor version: decides the pre-vote default and learner limit. Default 3.5.' }),
        heartbeatIntervalMs: int(0, 'maxEtcdTimingMs')
          .optional()
          .openapi({ description: '--heartbeat-interval in ms. Default 100.', example: 100 }),
        electionTimeoutMs: int(0, 'maxEtcdTimingMs')
          .optional()
          .openapi({ description: '--election-timeout in ms. Default 1000.', example: 1000 }),
        preVote: z
          .boolean()
          .optional()
          .openapi({ description: '--pre-vote. Default false for 3.4, true for 3.5 and 3.6.' }),
        maxLearners: int(1, 'maxEtcdMembers')
          .optional()
          .openapi({ description: "etcd 3.6's --max-learners (default 1); 3.4 and 3.5 have no such flag." }),
        diskSyncMs: nonNegative('maxDiskSyncMs').optional().openapi({
          description: 'fsync time before an append is acknowledged, in ms (SSD < 1, HDD ~10). Default 1.',
        }),
      })
      .strict()
      .optional(),
    network: NetworkInputSchema.optional(),
    leaderElection: z
      .object({
        leaseDurationS: nonNegative('maxLeaderElectionS')
          .optional()
          .openapi({ description: '--leader-elect-lease-duration in s. Default 15.' }),
        renewDeadlineS: nonNegative('maxLeaderElectionS')
          .optional()
          .openapi({ description: '--leader-elect-renew-deadline in s. Default 10.' }),
        retryPeriodS: nonNegative('maxLeaderElectionS')
          .optional()
          .openapi({ description: '--leader-elect-retry-period in s. Default 2.' }),
      })
      .strict()
      .optional()
      .openapi({ description: 'client-go leader election of kube-controller-manager and kube-scheduler.' }),
    loadBalancer: z
      .object({
        endpoint: z
          .string()
          .max(300, 'Must be at most 300 characters.')
          .refine((text) => parseHostPort(text) !== undefined, {
            message:
              'Must be host:port with a DNS name or IP address and a port 1–65535; IPv6 in brackets ([fd00::10]:6443).',
          })
          .optional()
          .openapi({
            description: 'controlPlaneEndpoint, host:port. Default k8s-api.cluster.internal:6443.',
            example: 'k8s-api.example.internal:6443',
          }),
        healthCheckIntervalS: positive('maxHealthCheckS')
          .optional()
          .openapi({ description: 'Seconds between health checks of a backend. Default 2.' }),
        healthCheckTimeoutS: positive('maxHealthCheckS')
          .optional()
          .openapi({ description: 'Seconds before a check counts as failed. Default 1.' }),
        unhealthyThreshold: int(1, 'maxHealthCheckThreshold')
          .optional()
          .openapi({ description: 'Failed checks before a backend is taken out. Default 3.' }),
        healthyThreshold: int(1, 'maxHealthCheckThreshold')
          .optional()
          .openapi({ description: 'Passed checks before it is put back. Default 2.' }),
      })
      .strict()
      .optional()
      .openapi({ description: 'The TCP load balancer in front of the apiservers.' }),
  })
  .strict()
  .openapi('ProposalInput', {
    description:
      'A proposed control plane and etcd cluster. Only `topology` and `controlPlane.nodes` are required; everything else defaults to kubeadm, etcd and client-go defaults.',
  });

/** Named request examples, shared by every operation that takes a proposal. */
export const proposalExamples = {
  minimalStacked: {
    summary: 'Minimal: 3 stacked control-plane nodes',
    value: { topology: 'stacked', controlPlane: { nodes: 3 } },
  },
  externalFiveOverThreeZones: {
    summary: '5 external etcd members over 3 zones',
    value: {
      topology: 'external',
      controlPlane: { nodes: 3, zones: ['zone-a', 'zone-b', 'zone-c'] },
      etcd: { members: 5, version: '3.5' },
      network: { intraZoneRttMs: 0.5, interZoneRttMs: 2 },
    },
  },
  twoZones: {
    summary: 'A 2-zone layout (loses quorum with the larger zone)',
    value: {
      topology: 'stacked',
      controlPlane: {
        nodes: [
          { name: 'cp-1', zone: 'dc-east', address: '10.0.1.11' },
          { name: 'cp-2', zone: 'dc-east', address: '10.0.1.12' },
          { name: 'cp-3', zone: 'dc-west', address: '10.0.2.11' },
        ],
        zones: ['dc-east', 'dc-west'],
      },
      network: { zoneRttMs: [{ from: 'dc-east', to: 'dc-west', rttMs: 8 }] },
    },
  },
} satisfies Record<string, { summary: string; value: ProposalInput }>;

// The schema and the engine's plain type must describe the same object: each must be assignable to the other.
type SchemaInput = z.infer<typeof ProposalInputSchema>;
type Assert<T extends true> = T;
type _ProposalSchemaMatchesDomain = Assert<
  SchemaInput extends ProposalInput ? (ProposalInput extends SchemaInput ? true : false) : false
>;
