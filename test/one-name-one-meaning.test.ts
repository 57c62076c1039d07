/**
 * One name, one meaning (issue 11, point 7): across every operation of the OpenAPI document, requests and
 * answers, a property name keeps one kind of value. `controlPlane` is always the proposal's nodes and zones
 * (the control-plane simulation's settings are `controlPlaneOptions`), `network` always round trips (the
 * simulation's jitter and loss model is `networkModel`), and `voters`/`learners` are always counts (lists of
 * names are `etcdVoters`/`etcdLearners`). A name that gains a second kind fails here until it is renamed or
 * reviewed into the list below with its reason.
 */
import { describe, expect, it } from 'vitest';
import { get, postJson } from './helpers.js';

type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: Schema | boolean;
};
interface Doc {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, Schema> };
}

/**
 * Names that hold different kinds of value in different places, each reviewed: the same thing written as a
 * count or as a list, an input and the answer generated from it, or a plain word whose place makes its meaning clear.
 */
const reviewed: Record<string, string> = {
  nodes: 'control-plane nodes: a count or a list in a proposal; the list in a generated configuration',
  members: 'etcd members: a count or a list in a proposal; the list in answers',
  etcd: "the etcd part: its settings in a proposal, its generated flags in /v1/config's answer",
  heartbeatIntervalMs: "--heartbeat-interval; a tuning grid's `grid.heartbeatIntervalMs` lists the values it tries",
  electionTimeoutMs: "--election-timeout; a tuning grid's `grid.electionTimeoutMs` lists the values it tries",
  preVote: "--pre-vote; a tuning grid's `grid.preVote` lists the values it tries",
  failover: "a plan request's switch for the failover section, and that section in the answer",
  placement: 'where things go: per zone by name in a plan, per zone as counts (etcdVoterCount…) in a recommendation',
  etcdQuorum: 'a capability: whether a loss keeps it (`survives.*`), how many failures it tolerates (`byCapability.*`)',
  apiServer:
    'a capability as above; in /v1/config the generated kube-apiserver flags (`apiServer`, the component itself)',
  controllerLeaders: 'a capability: whether a loss keeps it (`survives.*`), its tolerance (`byCapability.*`)',
  value: "a flag's value in a configuration vs a figure's value in a tuning answer",
  etcdServers: "kube-apiserver's --etcd-servers: the URL list, and the flag's one-string value in `alternative`",
  scenario: "a simulation's fault scenario vs the words naming the scenario a change step's risk simulated",
  'kube-controller-manager':
    'maps keyed by component: the node holding its lease at the start, its leadership intervals',
  'kube-scheduler': 'maps keyed by component: the node holding its lease at the start, its leadership intervals',
  newLeader: "a trial's new leader (its name) vs the distribution of the time to a new leader over trials",
  from: 'a zone pair (zoneRttMs) vs the membership a change plan starts from / a flag value before an edit',
  to: 'the other end of a zone pair vs the membership a change plan ends at / a flag value after an edit',
  paths: 'config file paths: what the request overrides and what the answer uses',
  target: "a change plan's target proposal vs a fault's target (a member, node, zone or leader)",
  source: 'the upstream source of one finding, or the several sources of one change step',
  leaderElection: "client-go's settings in a proposal vs the words on a change step's risk to leader election",
  command: 'a command line vs its program name inside it',
};

/** The kind of value: number, string, boolean, array or object (references resolved; null aside). */
function kindOf(schema: Schema, doc: Doc): string {
  if (schema.$ref) return kindOf(doc.components.schemas[schema.$ref.split('/').pop()!]!, doc);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return [...new Set(union.map((s) => kindOf(s, doc)).filter((k) => k !== 'null'))].sort().join('|');
  if (schema.allOf?.length) return kindOf(schema.allOf[0]!, doc);
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type ?? (schema.properties ? 'object' : 'any')])
    .filter((t) => t !== 'null')
    .map((t) => (t === 'integer' ? 'number' : t));
  return types.join('|');
}

/** Object fields per property name, to tell two objects of one name apart. */
const shapes = new Map<string, Set<string>>();

function resolve(schema: Schema, doc: Doc): Schema {
  return schema.$ref ? resolve(doc.components.schemas[schema.$ref.split('/').pop()!]!, doc) : schema;
}

function collect(
  schema: Schema | undefined,
  where: string,
  doc: Doc,
  out: Map<string, Map<string, string>>,
  seen: Set<Schema>,
): void {
  if (!schema || seen.has(schema)) return;
  seen.add(schema);
  if (schema.$ref) return collect(doc.components.schemas[schema.$ref.split('/').pop()!], where, doc, out, seen);
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
    collect(branch, where, doc, out, seen);
  if (schema.items) collect(schema.items, `${where}[]`, doc, out, seen);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
    collect(schema.additionalProperties, `${where}.*`, doc, out, seen);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const kinds = out.get(name) ?? new Map<string, string>();
    const kind = kindOf(property, doc);
    const fields = Object.keys(resolve(property, doc).properties ?? {})
      .sort()
      .join(',');
    if (fields) (shapes.get(name) ?? shapes.set(name, new Set()).get(name)!).add(fields);
    if (!kinds.has(kind)) kinds.set(kind, `${where}.${name}`);
    out.set(name, kinds);
    collect(property, `${where}.${name}`, doc, out, seen);
  }
}

describe('one name, one meaning across every operation', () => {
  it('every property name keeps one kind of value, or is reviewed', async () => {
    const doc = (await (await get('/openapi.json')).json()) as Doc;
    const names = new Map<string, Map<string, string>>();
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const op = operation as {
          requestBody?: { content: Record<string, { schema: Schema }> };
          responses?: Record<string, { content?: Record<string, { schema: Schema }> }>;
          parameters?: { name: string; schema: Schema }[];
        };
        const where = `${method.toUpperCase()} ${path}`;
        collect(op.requestBody?.content['application/json']?.schema, `${where} body`, doc, names, new Set());
        collect(op.responses?.['200']?.content?.['application/json']?.schema, `${where} answer`, doc, names, new Set());
        for (const parameter of op.parameters ?? []) {
          const kinds = names.get(parameter.name) ?? new Map<string, string>();
          const kind = kindOf(parameter.schema, doc);
          if (!kinds.has(kind)) kinds.set(kind, `${where} ?${parameter.name}`);
          names.set(parameter.name, kinds);
        }
      }
    }
    const ambiguous = [...names].filter(([, kinds]) => kinds.size > 1);
    const unreviewed = ambiguous
      .filter(([name]) => !(name in reviewed))
      .map(([name, kinds]) => `${name}: ${[...kinds].map(([k, w]) => `${k} at ${w}`).join('; ')}`);
    expect(unreviewed).toEqual([]);
    // The names issue 11 found with two meanings have one each now.
    for (const name of [
      'controlPlane',
      'network',
      'voters',
      'learners',
      'etcdVoters',
      'controlPlaneOptions',
      'networkModel',
    ])
      expect([...(names.get(name)?.keys() ?? [])], name).toHaveLength(1);
    expect([...names.get('voters')!.keys()]).toEqual(['number']);
    expect([...names.get('controlPlane')!.keys()]).toEqual(['object']);
    expect([...names.get('hosts')!.keys()]).toEqual(['array']);
    // And the same object wherever it appears: the proposal's nodes and zones, the proposal's round trips.
    expect([...shapes.get('controlPlane')!]).toEqual(['nodes,zones']);
    expect([...shapes.get('network')!]).toEqual(['interZoneRttMs,intraZoneRttMs,zoneRttMs']);
    expect([...names.get('etcdVoters')!.keys()]).toEqual(['array']);
  });
});

describe('the old simulation names are refused, the new ones work (README: names changed)', () => {
  it('controlPlane with simulation settings: renamed to controlPlaneOptions', async () => {
    const cluster = { topology: 'stacked', controlPlane: { nodes: 3, zones: ['a', 'b', 'c'] } };
    const old = await postJson('/v1/simulations', {
      kind: 'control-plane',
      cluster,
      controlPlane: { compareTopologies: true },
    });
    expect(old.status).toBe(400);
    const problem = (await old.json()) as { errors: { pointer: string; detail: string }[] };
    expect(problem.errors[0]!.pointer).toBe('/controlPlane');
    expect(problem.errors[0]!.detail).toContain('Unknown field');
    const renamed = await postJson('/v1/simulations', {
      kind: 'control-plane',
      cluster,
      seed: 3,
      controlPlaneOptions: { initialHolders: { 'kube-controller-manager': 'cp-2' } },
    });
    expect(renamed.status).toBe(200);
    const answer = (await renamed.json()) as { trial: { initialHolders: Record<string, string> } };
    expect(answer.trial.initialHolders['kube-controller-manager']).toBe('cp-2');
  });

  it('network with jitter and loss: renamed to networkModel; the answer echoes cluster.networkModel', async () => {
    const old = await postJson('/v1/simulations', { members: 3, network: { jitterFraction: 0 } });
    expect(old.status).toBe(400);
    const problem = (await old.json()) as { errors: { pointer: string; detail: string }[] };
    expect(problem.errors[0]!.pointer).toBe('/network');
    expect(problem.errors[0]!.detail).toContain('Unknown field');
    const renamed = await postJson('/v1/simulations', { members: 3, seed: 1, networkModel: { lossProbability: 0.25 } });
    expect(renamed.status).toBe(200);
    const answer = (await renamed.json()) as { cluster: { networkModel: { lossProbability: number } } };
    expect(answer.cluster.networkModel.lossProbability).toBe(0.25);
  });
});
