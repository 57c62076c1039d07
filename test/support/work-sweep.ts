/**
 * @module support/work-sweep
 * Issue 14's sweep of bounded work: every numeric field (durations, counts, rates, nested ones included) and
 * every list with a length bound, of every operation that takes a request (a JSON body, or a body in the `q` of
 * a GET chart URL), set to its schema minimum and to its schema maximum on top of a valid base body. The fields
 * are read from the served OpenAPI document, so a field added tomorrow is swept without editing this file; a
 * map-valued field whose keys this file cannot name makes `sweepCases` throw rather than skip it.
 *
 * Bases: the documented example that reaches the field (`documented`), and the same example with its cluster
 * made the largest the limits allow (`largest`: 9 control-plane nodes and 9 external etcd members over 9 zones,
 * or 9 simulated members), so a duration at its extreme is also tried where it multiplies the most work.
 * Plans ask for their failover section (`"failover": true`), the costly part.
 *
 * Used by test/work-sweep.test.ts (inside workerd: status and counted work) and bench/sweep.ts (CPU per request).
 * Runs in both: no fs, no Node APIs.
 */
import { limits } from '../../src/http/limits.js';
import { distinctCopy, exampleReaching, withValueAt } from './limits-audit.js';
import {
  apiDescription,
  exampleQuery,
  resolve,
  typesOf,
  urlOf,
  type JsonSchema,
  type Operation,
} from './operations.js';

type Key = string | number;
/** Stands for a map entry (additionalProperties) in a path until a base body gives it a key. */
const anyKey = '*';

export interface SweptField {
  operation: Operation;
  path: Key[];
  kind: 'number' | 'array';
  /** The values tried: the schema's lower and upper bound (see `boundValues`). */
  values: { bound: 'min' | 'max'; value: number }[];
}

export interface SweepCase {
  /** e.g. "createPlan /loadBalancer/healthCheckIntervalS min 0.000001 (largest)". */
  name: string;
  operationId: string;
  /** The operation whose handler answers it (a chart's is its POST's). */
  method: string;
  url: string;
  body: unknown;
  /** Send `body` in the `q` of this GET chart path instead of as a POST body. */
  chartPath?: string;
  field: string;
  base: 'documented' | 'largest';
}

/** Every swept field of every operation with a request body. */
export function sweptFields(): SweptField[] {
  const { document, operations } = apiDescription();
  const fields: SweptField[] = [];
  for (const operation of operations) {
    if (!operation.body) continue;
    const seen = new Set<string>();
    walk(document, operation.body, [], 0, (path, schema, kind) => {
      const values = kind === 'array' ? lengthBounds(schema) : boundValues(schema, path);
      const key = `${kind} ${path.join('/')}`;
      if (values.length === 0 || seen.has(key)) return;
      seen.add(key);
      fields.push({ operation, path, kind, values });
    });
  }
  return fields;
}

function walk(
  document: ReturnType<typeof apiDescription>['document'],
  input: JsonSchema,
  path: Key[],
  depth: number,
  visit: (path: Key[], schema: JsonSchema, kind: 'number' | 'array') => void,
): void {
  if (depth > 14) return;
  const schema = resolve(document, input);
  for (const branch of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])])
    walk(document, branch, path, depth + 1, visit);
  const types = typesOf(schema);
  if (types.includes('integer') || types.includes('number')) visit(path, schema, 'number');
  if (types.includes('array')) {
    visit(path, schema, 'array');
    if (schema.items) walk(document, schema.items, [...path, 0], depth + 1, visit);
  }
  if (types.includes('object')) {
    for (const [name, sub] of Object.entries(schema.properties ?? {}))
      walk(document, sub, [...path, name], depth + 1, visit);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
      walk(document, schema.additionalProperties, [...path, anyKey], depth + 1, visit);
  }
}

/**
 * The smallest step a field's unit allows: 1 µs, the simulation clock's resolution (fields end in their
 * unit: …Ms, …S), 1 for integers, else 1e-6.
 */
function step(schema: JsonSchema, path: Key[]): number {
  const name = String([...path].reverse().find((k) => typeof k === 'string' && k !== anyKey) ?? '');
  if (typesOf(schema).includes('integer') && !typesOf(schema).includes('number')) return 1;
  if (/Ms$/.test(name)) return 0.001;
  return 1e-6;
}

/**
 * The schema's minimum and maximum. An exclusive bound has no value of its own: the value one step inside it
 * (1 µs for a duration, the finest the simulation accepts), and for an exclusive minimum of 0 also the smallest
 * positive number, which must be refused with a 400 rather than simulated.
 */
function boundValues(schema: JsonSchema, path: Key[]): SweptField['values'] {
  const values: SweptField['values'] = [];
  if (typeof schema.minimum === 'number') values.push({ bound: 'min', value: schema.minimum });
  if (typeof schema.exclusiveMinimum === 'number') {
    if (schema.exclusiveMinimum === 0) values.push({ bound: 'min', value: Number.MIN_VALUE });
    values.push({ bound: 'min', value: schema.exclusiveMinimum + step(schema, path) });
  }
  if (typeof schema.maximum === 'number') values.push({ bound: 'max', value: schema.maximum });
  if (typeof schema.exclusiveMaximum === 'number')
    values.push({ bound: 'max', value: schema.exclusiveMaximum - step(schema, path) });
  return values;
}

function lengthBounds(schema: JsonSchema): SweptField['values'] {
  const values: SweptField['values'] = [];
  if (typeof schema.minItems === 'number' && schema.minItems > 0) values.push({ bound: 'min', value: schema.minItems });
  if (typeof schema.maxItems === 'number') values.push({ bound: 'max', value: schema.maxItems });
  return values;
}

/** Keys for map-valued fields no example fills: the names the API gives nodes and members it generates. */
const mapKeys: Record<string, string> = { clockRates: 'cp-1', memberLogs: 'etcd-1', initialHolders: 'kube-scheduler' };

/** The path with its map placeholder replaced by a key the base holds (or the API's generated name). */
function concreteMapPath(base: unknown, path: Key[], field: string): Key[] {
  const out: Key[] = [];
  let current: unknown = base;
  for (const key of path) {
    let k = key;
    if (key === anyKey) {
      const existing = current && typeof current === 'object' ? Object.keys(current)[0] : undefined;
      const parent = String(out[out.length - 1]);
      const named = existing ?? mapKeys[parent];
      if (named === undefined)
        throw new Error(`work sweep: no key for the map entries of ${field}; add one to mapKeys`);
      k = named;
    }
    out.push(k);
    current = current && typeof current === 'object' ? (current as Record<Key, unknown>)[k] : undefined;
  }
  return out;
}

/** A list of `n` entries: the base's own first (other fields may refer to them), then distinct copies. */
function listOf(current: unknown, n: number): unknown[] {
  const items = Array.isArray(current) && current.length > 0 ? current : [];
  if (items.length === 0) return Array.from({ length: n }, (_, i) => (n === 0 ? undefined : i + 1)).slice(0, n);
  return Array.from({ length: n }, (_, i) =>
    i < items.length ? structuredClone(items[i]) : distinctCopy(items[i % items.length], i),
  );
}

const zoneNames = Array.from({ length: limits.maxZones }, (_, i) => `zone-${String.fromCharCode(97 + i)}`);

/**
 * The base with every cluster in it made the largest the limits allow: proposals (objects with `topology` or
 * `controlPlane`) external, with maxControlPlaneNodes nodes and maxEtcdMembers members over maxZones zones (named
 * lists grown with distinct copies, so names the body refers to stay); a simulation's `members` at
 * maxSimulationMembers; a recommendation's zones at maxZones.
 */
function largestOf(operation: Operation, base: unknown): unknown {
  const grow = (value: unknown, n: number) => (Array.isArray(value) ? listOf(value, n) : n);
  const visit = (value: unknown, depth: number): unknown => {
    if (!value || typeof value !== 'object' || Array.isArray(value) || depth > 4) return value;
    const object = { ...(value as Record<string, unknown>) };
    if ('topology' in object || 'controlPlane' in object) {
      const cp = (object.controlPlane ?? {}) as Record<string, unknown>;
      const etcd = (object.etcd ?? {}) as Record<string, unknown>;
      const named = Array.isArray(cp.nodes);
      object.topology = 'external';
      object.controlPlane = {
        ...cp,
        nodes: grow(cp.nodes, limits.maxControlPlaneNodes),
        ...(named ? {} : { zones: zoneNames }),
      };
      object.etcd = { ...etcd, members: grow(etcd.members, limits.maxEtcdMembers) };
      if (named && Array.isArray(object.etcd)) object.etcd = etcd;
    }
    for (const [key, child] of Object.entries(object))
      if (child && typeof child === 'object' && !Array.isArray(child) && key !== 'controlPlane' && key !== 'etcd')
        object[key] = visit(child, depth + 1);
    return object;
  };
  let body = visit(base, 0) as Record<string, unknown>;
  if (operation.path === '/v1/simulations' && typeof body.members === 'number')
    body = { ...body, members: limits.maxSimulationMembers };
  if (operation.path === '/v1/recommendations') body = { ...body, zones: zoneNames };
  return body;
}

/** The GET chart path whose `q` carries this operation's body, if one does. */
function chartPathOf(operation: Operation): string | undefined {
  const { operations } = apiDescription();
  const name = operation.path.replace(/^\/v1\//, '').replace(/s$/, '');
  return operations.find((o) => o.method === 'GET' && o.path === `/charts/${name}.svg`)?.path;
}

/** Plans with their failover section: the costly part of a plan. */
function withFailover(operation: Operation, body: unknown): unknown {
  const hasFailover = Boolean(operation.body?.properties?.failover ?? resolveProps(operation).failover);
  return hasFailover && body && typeof body === 'object' ? { ...body, failover: true } : body;
}

function resolveProps(operation: Operation): Record<string, JsonSchema> {
  return resolve(apiDescription().document, operation.body).properties ?? {};
}

/** Every request of the sweep. `bases` picks the documented example, the largest cluster, or both. */
export function sweepCases(bases: SweepCase['base'][] = ['documented', 'largest']): SweepCase[] {
  const cases: SweepCase[] = [];
  for (const field of sweptFields()) {
    const { operation } = field;
    const documented = exampleReaching(
      operation,
      field.path.filter((k) => k !== anyKey),
      field.kind,
    );
    const chartPath = chartPathOf(operation);
    for (const base of bases) {
      const start = withFailover(operation, base === 'largest' ? largestOf(operation, documented) : documented);
      const fieldName = `/${field.path.join('/')}`;
      const path = concreteMapPath(start, field.path, `${operation.operationId} ${fieldName}`);
      for (const { bound, value } of field.values) {
        const body = withValueAt(start, path, (current) => (field.kind === 'array' ? listOf(current, value) : value));
        const label = `${operation.operationId} ${fieldName}${field.kind === 'array' ? ' length' : ''} ${bound} ${value} (${base})`;
        const url = urlOf(operation, exampleQuery(operation));
        cases.push({
          name: label,
          operationId: operation.operationId,
          method: operation.method,
          url,
          body,
          field: fieldName,
          base,
        });
        if (chartPath)
          cases.push({
            name: `${label} as GET ${chartPath}`,
            operationId: operation.operationId,
            method: 'GET',
            url: chartPath,
            body,
            chartPath,
            field: fieldName,
            base,
          });
      }
    }
  }
  return cases;
}

/** The URL of a chart case: the body deflate-raw compressed and base64url encoded in `q`, as clients send it. */
export async function chartUrl(chartPath: string, body: unknown): Promise<string> {
  const stream = new Blob([JSON.stringify(body)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const q = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${chartPath}?q=${q}`;
}
