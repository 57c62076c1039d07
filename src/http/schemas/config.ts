/**
 * @module schemas/config
 * The answer of POST /v1/config, and the request's one addition to the proposal body: certificate and data
 * paths.
 */
import { z } from '@hono/zod-openapi';
import { etcdVersions } from '../../domain/etcd-versions.js';
import { kubeadmDefaultPaths } from '../../domain/config/paths.js';
import { FindingSchema, orNull } from './common.js';

const pathDescriptions: Record<keyof typeof kubeadmDefaultPaths, string> = {
  etcdCaFile:
    'CA of the etcd server, peer and client certificates (etcd --trusted-ca-file, --peer-trusted-ca-file; apiserver --etcd-cafile).',
  etcdServerCertFile: 'etcd --cert-file.',
  etcdServerKeyFile: 'etcd --key-file.',
  etcdPeerCertFile: 'etcd --peer-cert-file.',
  etcdPeerKeyFile: 'etcd --peer-key-file.',
  apiserverEtcdClientCertFile: 'kube-apiserver --etcd-certfile.',
  apiserverEtcdClientKeyFile: 'kube-apiserver --etcd-keyfile.',
  etcdctlCertFile: 'Client certificate etcdctl uses in the learner steps.',
  etcdctlKeyFile: 'Client key etcdctl uses in the learner steps.',
  etcdDataDir: 'etcd --data-dir (kubeadm etcd.local.dataDir).',
};

/** An absolute path without control characters: it goes into flags and YAML as is. */
const absolutePath = (description: string, example: string) =>
  z
    .string()
    .min(2)
    .max(512, 'Must be at most 512 characters.')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse control characters in paths
    .regex(/^\/[^\u0000-\u001f\u007f]*$/, 'Must be an absolute path (starting with /) without control characters.')
    .openapi({ description: `${description} Default ${example}.`, example });

const pathShape = Object.fromEntries(
  (Object.keys(kubeadmDefaultPaths) as (keyof typeof kubeadmDefaultPaths)[]).map((key) => [
    key,
    absolutePath(pathDescriptions[key], kubeadmDefaultPaths[key]).optional(),
  ]),
) as { [K in keyof typeof kubeadmDefaultPaths]: z.ZodOptional<z.ZodString> };

export const ConfigPathsInputSchema = z
  .object(pathShape)
  .strict()
  .openapi('ConfigPathsInput', { description: "Certificate and data paths; kubeadm's defaults for any not given." });

export const ConfigPathsSchema = z
  .object(
    Object.fromEntries(Object.keys(kubeadmDefaultPaths).map((key) => [key, z.string()])) as {
      [K in keyof typeof kubeadmDefaultPaths]: z.ZodString;
    },
  )
  .openapi('ConfigPaths');

const FlagSchema = z
  .object({
    name: z.string().openapi({ description: 'With its leading dashes.', example: '--initial-cluster-state' }),
    value: z.string().openapi({ example: 'new' }),
  })
  .openapi('Flag');

export const CommandLineSchema = z
  .object({
    command: z.string().openapi({ example: 'etcd' }),
    args: z
      .array(z.string())
      .openapi({ description: 'Positional words before the flags, e.g. ["member","add","etcd-4"].' }),
    flags: z.array(FlagSchema),
    text: z.string().openapi({
      description:
        'The same command as POSIX shell text (one --flag=value per continued line, quoted where needed); always consistent with args and flags.',
    }),
  })
  .openapi('CommandLine');

const EtcdMemberConfigSchema = z
  .object({
    name: z.string(),
    host: z.string(),
    zone: z.string(),
    learner: z.boolean(),
    clientUrl: z.string().openapi({ description: '--advertise-client-urls.' }),
    peerUrl: z.string().openapi({
      description: '--initial-advertise-peer-urls; the same URL appears for this member in every --initial-cluster.',
    }),
    etcd: CommandLineSchema,
  })
  .openapi('EtcdMemberConfig');

const LearnerStepSchema = z
  .object({
    action: z.enum(['add', 'start', 'check', 'promote']),
    description: z.string(),
    command: CommandLineSchema,
  })
  .openapi('LearnerStep');

const LearnerProcedureSchema = z
  .object({ member: z.string(), steps: z.array(LearnerStepSchema) })
  .openapi('LearnerProcedure', {
    description:
      'etcd has no flag that starts a learner: member add --learner, start with --initial-cluster-state=existing, then (optionally) promote.',
  });

const ApiServerConfigSchema = z
  .object({
    nodes: z.array(
      z.object({
        node: z.string(),
        note: z.string().optional(),
        kubeApiserver: CommandLineSchema.openapi({
          description: "The node's kube-apiserver etcd flags (its other flags are not covered).",
        }),
      }),
    ),
    etcdServers: z
      .array(z.string())
      .openapi({ description: 'External: the voters listed. Stacked: the local URL(s) each apiserver uses.' }),
    excluded: z
      .array(z.object({ member: z.string(), reason: z.string() }))
      .openapi({ description: 'Members left out of --etcd-servers, with the reason.' }),
    alternative: z
      .object({ description: z.string(), tradeOff: z.string(), etcdServers: z.string() })
      .optional()
      .openapi({ description: 'Stacked only: listing every member instead of the local one, and what that trades.' }),
  })
  .openapi('ApiServerConfig');

const KubeadmConfigSchema = z
  .object({
    apiVersion: z.literal('kubeadm.k8s.io/v1beta4'),
    kind: z.literal('ClusterConfiguration'),
    document: z.record(z.string(), z.unknown()).openapi({ description: 'The ClusterConfiguration as JSON data.' }),
    yaml: z.string().openapi({ description: 'The same document as YAML, for kubeadm init --config.' }),
  })
  .openapi('KubeadmConfig');

export const ConfigAnswerSchema = z
  .object({
    topology: z.enum(['stacked', 'external']),
    etcdVersion: z.enum(etcdVersions),
    startable: z
      .boolean()
      .nullable()
      .openapi({
        description:
          'False when a component would refuse this configuration at start (etcd or client-go timing validation, no voters); ' +
          'the error findings quote the refusal. Other errors (members with different timings, more learners than etcd ' +
          "accepts: the voters start and only the extra learner's member add is refused) are findings too, but do not stop " +
          'the processes from starting. Null on a hosted platform, whose components the provider starts.',
      }),
    voters: z.number().int(),
    learners: z.number().int(),
    quorum: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Votes etcd needs: floor(voters/2)+1. Null on a hosted platform, as in plans.' }),
    tolerableFailures: z.number().int().nullable().openapi({
      description: 'etcd voters that can be lost: voters − quorum. Null on a hosted platform, as in plans.',
    }),
    paths: ConfigPathsSchema,
    placeholders: z.array(z.object({ placeholder: z.string(), meaning: z.string() })).openapi({
      description: 'Stand-ins such as <cp-1-address> for addresses the request did not give; replace them before use.',
    }),
    etcd: z
      .object({
        initialClusterToken: z.string(),
        bootstrap: z.string().openapi({ description: 'How the member flags are meant to be used.' }),
        members: z.array(EtcdMemberConfigSchema),
        learnerProcedures: z.array(LearnerProcedureSchema),
      })
      .nullable()
      .openapi({ description: 'Null for a hosted control plane.' }),
    apiServer: orNull(ApiServerConfigSchema),
    controllerManager: orNull(CommandLineSchema),
    scheduler: orNull(CommandLineSchema),
    kubeadm: orNull(KubeadmConfigSchema),
    findings: z.array(FindingSchema),
    summary: z
      .string()
      .openapi({ description: 'A short paragraph to quote as is: the numbers, whether it starts, the main caveat.' }),
  })
  .openapi('ConfigAnswer');
