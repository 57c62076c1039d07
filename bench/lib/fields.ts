/**
 * @module bench/lib/fields
 * Finding request fields by name (trials, members, horizon, seed…) in an operation's example or schema, so
 * the benchmarks can scale a documented request without hard-coding the shape of operations that are still
 * being written. When a field cannot be found, the caller prints what it skipped.
 */
import { apiDescription, resolve, typesOf, type JsonSchema, type Operation } from '../../test/support/operations.js';
import { withValueAt } from '../../test/support/limits-audit.js';

export type Key = string | number;

/** The first path whose last key matches, searched in the example (depth-first), then in the schema. */
export function findPath(operation: Operation, example: unknown, name: RegExp): Key[] | undefined {
  const inExample = searchValue(example, name, []);
  if (inExample) return inExample;
  return operation.body ? searchSchema(operation.body, name, [], 0) : undefined;
}

function searchValue(value: unknown, name: RegExp, path: Key[]): Key[] | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  for (const [key, _child] of Object.entries(value)) {
    if (name.test(key)) return [...path, key];
  }
  for (const [key, child] of Object.entries(value)) {
    const found = searchValue(child, name, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

function searchSchema(input: JsonSchema, name: RegExp, path: Key[], depth: number): Key[] | undefined {
  if (depth > 8) return undefined;
  const { document } = apiDescription();
  const schema = resolve(document, input);
  for (const branch of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) {
    const found = searchSchema(branch, name, path, depth + 1);
    if (found) return found;
  }
  if (!typesOf(schema).includes('object')) return undefined;
  for (const key of Object.keys(schema.properties ?? {})) if (name.test(key)) return [...path, key];
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    const found = searchSchema(sub, name, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The schema at a path (object properties only; numbers step into array items). */
export function schemaAtPath(operation: Operation, path: Key[]): JsonSchema | undefined {
  const { document } = apiDescription();
  let schema: JsonSchema | undefined = operation.body;
  for (const key of path) {
    if (!schema) return undefined;
    const resolved = resolve(document, schema);
    const candidates = [resolved, ...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])].map((s) =>
      resolve(document, s),
    );
    schema = candidates.map((c) => (typeof key === 'number' ? c.items : c.properties?.[key])).find(Boolean);
  }
  return schema && resolve(document, schema);
}

export function valueAt(root: unknown, path: Key[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<Key, unknown>)[k] : undefined),
    root,
  );
}

export function setAt(root: unknown, path: Key[], value: unknown): unknown {
  return withValueAt(root, path, () => value);
}

/**
 * Sets a "how many" field: a count stays a number; a list grows or shrinks to n entries copied from its own
 * entries, with names made distinct (member-1, member-2…), and zones cycled as the example cycles them.
 */
export function setCount(root: unknown, path: Key[], n: number): unknown {
  const current = valueAt(root, path);
  if (!Array.isArray(current)) return setAt(root, path, n);
  const items = current.length ? current : [{}];
  const list = Array.from({ length: n }, (_, i) => {
    const item = structuredClone(items[i % items.length]);
    if (item && typeof item === 'object' && typeof (item as Record<string, unknown>).name === 'string') {
      return { ...item, name: `${(item as Record<string, unknown>).name}-${i + 1}` };
    }
    return item;
  });
  return setAt(root, path, list);
}

/** The sum of every numeric field whose key matches, anywhere in an answer (e.g. events processed per trial). */
export function sumOf(answer: unknown, name: RegExp): number | undefined {
  let total: number | undefined;
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (name.test(key) && typeof child === 'number') total = (total ?? 0) + child;
        else visit(child);
      }
    }
  };
  visit(answer);
  return total;
}

export function exampleNamed(operation: Operation, name: RegExp): { name: string; value: unknown } | undefined {
  return operation.bodyExamples.find((e) => name.test(e.name)) ?? undefined;
}
