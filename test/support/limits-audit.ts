/**
 * @module support/limits-audit
 * Finds every ceiling the OpenAPI document declares (maximum, maxItems, maxLength, maxProperties on query
 * parameters and anywhere in a request body), builds a request one past it from the operation's own example,
 * and reads back which limit the error names. The limits test checks the answers; the audit lists the rest.
 */
import { jsonPointer } from '../../src/http/validation.js';
import {
  type apiDescription,
  exampleQuery,
  resolve,
  typesOf,
  urlOf,
  type JsonSchema,
  type Operation,
} from './operations.js';

type Document = ReturnType<typeof apiDescription>['document'];
type Key = string | number;

export interface Ceiling {
  operation: Operation;
  location: 'query' | 'body';
  /** Body: keys from the root (numbers step into array items); query: [parameter name]. */
  path: Key[];
  keyword: 'maximum' | 'maxItems' | 'maxLength' | 'maxProperties';
  value: number;
  /** The JSON type the probe must send there. */
  type: 'number' | 'array' | 'string' | 'object';
}

export interface ProbeResult {
  ceiling: Ceiling;
  /** What the error pointer should be: the parameter name, or a JSON pointer into the body. */
  pointer: string;
  status: number;
  /** The error entry at the pointer, if any. */
  detail?: string;
  /** The limit the detail names ("the limit maxVoters"), if any. */
  namedLimit?: string;
  /** The status of the same request with the value at the ceiling (not past it). */
  atCeilingStatus: number;
  /**
   * The probe says something only when the request at the ceiling is accepted: otherwise the example did not
   * reach the field (say, a list synthesized without its required names) and the 400 is about something else.
   */
  conclusive: boolean;
}

export function ceilingsOf(operations: Operation[], document: Document): Ceiling[] {
  const found: Ceiling[] = [];
  for (const operation of operations) {
    for (const parameter of operation.query) {
      const schema = resolve(document, parameter.schema);
      if (typeof schema.maximum === 'number') {
        found.push({
          operation,
          location: 'query',
          path: [parameter.name],
          keyword: 'maximum',
          value: schema.maximum,
          type: 'number',
        });
      }
      if (typeof schema.maxLength === 'number') {
        found.push({
          operation,
          location: 'query',
          path: [parameter.name],
          keyword: 'maxLength',
          value: schema.maxLength,
          type: 'string',
        });
      }
    }
    if (operation.body)
      walk(document, operation.body, [], (path, keyword, value, type) =>
        found.push({ operation, location: 'body', path, keyword, value, type }),
      );
  }
  return found;
}

function walk(
  document: Document,
  input: JsonSchema,
  path: Key[],
  visit: (path: Key[], keyword: Ceiling['keyword'], value: number, type: Ceiling['type']) => void,
  depth = 0,
): void {
  if (depth > 12) return;
  const schema = resolve(document, input);
  for (const branch of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])])
    walk(document, branch, path, visit, depth + 1);
  const types = typesOf(schema);
  if ((types.includes('integer') || types.includes('number')) && typeof schema.maximum === 'number')
    visit(path, 'maximum', schema.maximum, 'number');
  if (types.includes('string') && typeof schema.maxLength === 'number')
    visit(path, 'maxLength', schema.maxLength, 'string');
  if (types.includes('array')) {
    if (typeof schema.maxItems === 'number') visit(path, 'maxItems', schema.maxItems, 'array');
    if (schema.items) walk(document, schema.items, [...path, 0], visit, depth + 1);
  }
  if (types.includes('object')) {
    if (typeof schema.maxProperties === 'number') visit(path, 'maxProperties', schema.maxProperties, 'object');
    for (const [name, sub] of Object.entries(schema.properties ?? {}))
      walk(document, sub, [...path, name], visit, depth + 1);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      walk(document, schema.additionalProperties, [...path, 'x'], visit, depth + 1);
    }
  }
}

/** A value `by` past the ceiling (0: at it), built from what the example holds there (array items renamed to stay distinct). */
function pastCeiling(ceiling: Ceiling, current: unknown, by = 1): unknown {
  const n = ceiling.value + by;
  switch (ceiling.type) {
    case 'number':
      return n;
    case 'string':
      return 'x'.repeat(n);
    case 'object':
      return Object.fromEntries(
        Array.from({ length: n }, (_, i) => [
          `k${i}`,
          (current as Record<string, unknown> | undefined)?.[Object.keys(current ?? {})[0] ?? ''] ?? 1,
        ]),
      );
    case 'array': {
      const items = Array.isArray(current) && current.length > 0 ? current : [{}];
      // The example's own entries first (other fields may refer to them), then distinct copies.
      return Array.from({ length: n }, (_, i) =>
        i < items.length ? structuredClone(items[i]) : distinctCopy(items[i % items.length], i),
      );
    }
  }
}

/**
 * A copy of a list entry that does not collide with the others: names and plain string entries get a suffix,
 * IPv4 addresses a fresh last octet (the API rejects duplicated names, zones and addresses).
 */
function distinctCopy(item: unknown, index: number): unknown {
  if (typeof item === 'string')
    return /^\d+\.\d+\.\d+\.\d+$/.test(item) ? item.replace(/\d+$/, String(100 + index)) : `${item}-${index}`;
  if (!item || typeof item !== 'object' || Array.isArray(item)) return structuredClone(item);
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === 'name' && typeof value === 'string') copy[key] = `${value}-${index}`;
    else if (typeof value === 'string' && /^\d+\.\d+\.\d+\.\d+$/.test(value))
      copy[key] = value.replace(/\d+$/, String(100 + index));
    else copy[key] = structuredClone(value);
  }
  return copy;
}

/** The example with the value at `path` replaced; containers missing on the way are created. */
export function withValueAt(example: unknown, path: Key[], make: (current: unknown) => unknown): unknown {
  if (path.length === 0) return make(example);
  const root: any =
    example && typeof example === 'object' ? structuredClone(example) : typeof path[0] === 'number' ? [] : {};
  let parent: any = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const nextIsIndex = typeof path[i + 1] === 'number';
    if (parent[key] === null || typeof parent[key] !== 'object' || Array.isArray(parent[key]) !== nextIsIndex) {
      parent[key] = nextIsIndex ? [] : {};
    }
    parent = parent[key];
  }
  const last = path[path.length - 1]!;
  parent[last] = make(parent[last]);
  return root;
}

/** The example that already holds the longest prefix of the path, so the probe changes one thing only. */
function exampleReaching(operation: Operation, path: Key[], type?: Ceiling['type']): unknown {
  let best: unknown = operation.bodyExamples[0]?.value ?? {};
  let bestDepth = -1;
  for (const { value } of operation.bodyExamples) {
    let depth = 0;
    let current: unknown = value;
    for (const key of path) {
      if (current === null || typeof current !== 'object' || Array.isArray(current) !== (typeof key === 'number'))
        break;
      if (!(key in (current as object))) break;
      current = (current as Record<Key, unknown>)[key];
      depth++;
    }
    // A list where a list is capped beats a count in the same place.
    if (depth === path.length && type === 'array' && Array.isArray(current)) depth++;
    if (depth > bestDepth) {
      best = value;
      bestDepth = depth;
    }
  }
  return best;
}

export interface Fetcher {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/** Sends the probe for one ceiling (and the same request at the ceiling) and reads back the error at its pointer. */
export async function probe(app: Fetcher, ceiling: Ceiling): Promise<ProbeResult> {
  const { operation } = ceiling;
  const pointer = ceiling.location === 'query' ? String(ceiling.path[0]) : jsonPointer(ceiling.path);
  const send = async (by: number): Promise<Response> => {
    if (ceiling.location === 'query') {
      const query = { ...exampleQuery(operation), [pointer]: String(pastCeiling(ceiling, undefined, by)) };
      return app.request(`http://localhost${urlOf(operation, query)}`, { method: operation.method });
    }
    const body = withValueAt(exampleReaching(operation, ceiling.path, ceiling.type), ceiling.path, (current) =>
      pastCeiling(ceiling, current, by),
    );
    return app.request(`http://localhost${urlOf(operation, exampleQuery(operation))}`, {
      method: operation.method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  };
  const atCeiling = await send(0);
  await atCeiling.arrayBuffer();
  const response = await send(1);
  const problem = (await response.json().catch(() => ({}))) as { errors?: { pointer: string; detail: string }[] };
  const entry = problem.errors?.find((e) => e.pointer === pointer);
  const namedLimit = entry?.detail.match(/\bthe limit (\w+)/)?.[1];
  return {
    ceiling,
    pointer,
    status: response.status,
    atCeilingStatus: atCeiling.status,
    conclusive: atCeiling.status < 400,
    ...(entry ? { detail: entry.detail } : {}),
    ...(namedLimit ? { namedLimit } : {}),
  };
}

export function describeCeiling(ceiling: Ceiling): string {
  const where =
    ceiling.location === 'query' ? `query ${String(ceiling.path[0])}` : `body ${jsonPointer(ceiling.path) || '(root)'}`;
  return `${ceiling.operation.method} ${ceiling.operation.path} ${where} ${ceiling.keyword} ${ceiling.value}`;
}
