/**
 * @module mcp/tool-texts
 * The model-facing text of each MCP tool, keyed by the REST operation it wraps ("METHOD /path").
 *
 * Everything else about a tool (its input schema, validation, answer) comes from the route itself, so a new
 * route becomes a tool without code here; what a route cannot know is how to explain itself to a model that
 * must decide whether to call it. A test fails for any /v1 operation without an entry, so that text is
 * written when the route lands rather than never.
 */
export type ToolText = {
  /** The tool name a model calls: short, snake_case, stable. */
  name: string;
  /** A human-readable title for clients that show one. */
  title: string;
  /** What it answers, when to use it (and when not), the key inputs. Written for a model. */
  description: string;
  /** Overrides of the default hints (read-only, idempotent), for a tool that starts work. */
  annotations?: { readOnlyHint?: boolean; idempotentHint?: boolean };
};

export const toolTexts: Record<string, ToolText> = {
  'GET /v1/quorum': {
    name: 'quorum',
    title: 'etcd quorum and tolerable failures',
    description:
      'Answers: how many votes an etcd (Raft) cluster needs for quorum and how many voting members it can lose while ' +
      'still accepting writes, for a given number of voters and learners. Use it for questions like "how many etcd members ' +
      'can fail in a 3-member cluster?" or "is 4 members better than 3?". Key inputs: `voters` (voting members, required), ' +
      '`learners` (non-voting members, default 0), `etcdVersion` (3.4, 3.5 or 3.6; decides the learner limit). ' +
      'Findings flag even counts, a single voter, more than 7 voters and too many learners. The `summary` can be quoted as is. ' +
      'For a whole cluster design with zones and control-plane nodes, use `plan` instead.',
  },
  'GET /v1/quorum/table': {
    name: 'quorum_table',
    title: 'Cluster size / quorum / tolerable failures table',
    description:
      'Answers: the etcd FAQ table of cluster size → quorum → tolerable failures, for every size from 1 to `max` ' +
      '(default 9). Use it to compare sizes side by side or to show why odd sizes are preferred. For one size with ' +
      'findings, use `quorum`.',
  },
  'POST /v1/plans': {
    name: 'plan',
    title: 'Plan a Kubernetes control plane and its etcd cluster',
    description:
      'Answers: for a proposed Kubernetes control plane (stacked or external etcd, nodes, zones, RTTs, etcd version and ' +
      'timings), its etcd quorum and tolerable failures, which single node or zone loss it survives (etcd quorum, a ' +
      'serving apiserver, controller-manager/scheduler leaders), stacked vs external side by side, and findings with ' +
      'fixes, and for every single-node and single-zone loss the expected gaps (p50/p90 from 20 simulated trials; ' +
      '`"failover": false` leaves them out). Use it to check or compare a concrete design. Minimal input: {"topology":"stacked","controlPlane":{"nodes":3}}; ' +
      'add `controlPlane.zones`, `etcd.members` (external only), `etcd.version` and timings as needed. ' +
      'On `"platform":"hosted"` (GKE, EKS, AKS) the provider runs etcd and the control plane: the answer gives no figures ' +
      "for them and says what is still the user's. The `summary` can be quoted as is; its figures are the answer's fields. " +
      'The same body goes as is to `config`, and as `cluster` to `simulate`. To be told what to build instead, use `recommend`. ' +
      'The result also carries the placement diagram as an SVG image and its URL, to show the user.',
  },
  'POST /v1/recommendations': {
    name: 'recommend',
    title: 'Recommend minimal control-plane and etcd layouts',
    description:
      'Answers the inverse of `plan`: given requirements (node failures to survive, whether a whole zone may be lost, the ' +
      'zones available with their RTTs, a topology preference, a host budget, the etcd version), the ranked minimal ' +
      'layouts that meet them (member count, per-zone placement, topology, hosts, tuned etcd timeouts), each with its ' +
      'full plan. When nothing can meet them (e.g. surviving a zone loss with only 2 zones) it says why and offers the ' +
      'closest alternatives. Use it when the user asks "what should I build?".',
  },
  'POST /v1/config': {
    name: 'config',
    title: 'Generate etcd, kube-apiserver and kubeadm configuration',
    description:
      'Answers: ready-to-use configuration for a proposed cluster (same input as `plan`): kube-apiserver --etcd-servers ' +
      "and TLS flags, every etcd member's complete flag set (initial cluster, timings, pre-vote, learner steps), " +
      'controller-manager and scheduler leader-election flags, and a kubeadm ClusterConfiguration, each as structured ' +
      'flags and as rendered text. Timing values that etcd or client-go would reject come back as error findings with ' +
      'the exact upstream error text for the etcd version asked, and the same timing warnings as `plan`. Use it when the ' +
      'user wants flags or YAML, or asks whether settings are valid. Hosted platforms get no configuration.',
  },
  'POST /v1/changes': {
    name: 'change_plan',
    title: 'Plan a safe change from the current cluster to a proposed one',
    description:
      'Answers: how to get from the etcd/control-plane cluster that runs today (`current`) to the one wanted (`target`), both in ' +
      'the same shape as `plan`, step by step with quorum kept at every step: grow or shrink (e.g. 3 → 5), replace a member, move ' +
      'members between zones, stacked ↔ external etcd, etcd minor upgrades (3.4 → 3.5 → 3.6), control-plane node changes, or a ' +
      'restore from a snapshot. Each step has exact etcdctl/kubeadm commands, checks, the membership and tolerable failures during ' +
      'it, its risk (simulated leader-election pause) and rollback. Members are matched by name. Options: `failedMembers` (down ' +
      'now), `replaceMembers` (rebuild in place), `etcdVersionPath`, `downtimeAcceptable`, `restoreFromSnapshot`. An unsafe ' +
      'request (e.g. a downgrade of two minor versions, or no quorum without accepting downtime) is refused with the reason.',
  },
  'POST /v1/simulations': {
    name: 'simulate',
    title: 'Simulate etcd elections and control-plane failover',
    description:
      "Answers: what happens, and for how long, when something fails — by a deterministic simulation of etcd's Raft " +
      'elections (and the control-plane layers above it) over seeded Monte Carlo trials: time without a leader, ' +
      'election rounds, split votes, percentiles (p50/p90/p99) and one trial\'s timeline. Use it for "how long are ' +
      'writes unavailable if the leader crashes?" or to compare timeout settings. Key inputs: the cluster (same as ' +
      '`plan`, sent as `cluster`, or just member count and timings), a scenario of faults (e.g. crash the leader), `trials`, optional ' +
      '`seed` (echoed; equal requests give equal answers). Prefer `plan` for static fault tolerance questions. The ' +
      'result also carries its chart (one trial: the failover timeline; more: the distributions) as an SVG image and its URL.',
  },
  'POST /v1/tunings': {
    name: 'start_tuning',
    title: 'Start a timing-tuning job (heartbeat and election timeout)',
    description:
      'Starts a background job that answers "which etcd heartbeat interval and election timeout should I use?" in ' +
      'numbers: for each grid point (heartbeat × election timeout × pre-vote) etcd accepts, the failover time after a ' +
      'leader crash (p50/p90/p99 over seeded trials) and the spurious-election rate of a healthy cluster under the ' +
      'given latency jitter, spikes, packet loss and fsync stalls (per cluster-year, with a 95% interval), against an ' +
      'objective (failover p99 and spurious elections per year). Returns the job at once (status queued); call ' +
      '`get_tuning` with its `id` until status is `complete`, then quote its `summary`. Key inputs: `cluster` (as ' +
      'for `plan`), `objective`, `grid`; optional `disturbance`, `failoverTrials`, `seed`. For one setting only, ' +
      '`simulate` answers at once.',
    annotations: { readOnlyHint: false, idempotentHint: false },
  },
  'GET /v1/tunings/{id}': {
    name: 'get_tuning',
    title: 'Read a timing-tuning job',
    description:
      'Reads a job started with `start_tuning`: status (queued, running, complete, cancelled, errored), progress in ' +
      'steps, and when complete the answer: every grid point with failover p50/p90/p99 and their trial count, the ' +
      'spurious-election rate per cluster-year with its interval, whether etcd accepts the flags and whether the ' +
      'point meets the objective; the speed-vs-stability frontier; the recommended point with its reason. Input: ' +
      '`id`, the job id `start_tuning` returned. The `summary` can be quoted as is.',
  },
};
