/**
 * @module support/robustness
 * Property-based robustness checks over every operation of the OpenAPI document: requests built from each
 * operation's schema and examples, pushed to extremes (huge and negative numbers, "NaN"/"Infinity"/"1e309",
 * empty and enormous arrays up to and past the body limit, unicode, `__proto__` and `constructor` keys, deep
 * nesting, duplicated names and keys), plus arbitrary JSON and query strings. For each request: never a 5xx,
 * every 4xx is problem+json (validation problems with pointers into the request), every answer comes back
 * within a bound, the answer conforms to the served OpenAPI document (support/conformance.ts), and the same
 * request twice gives the same bytes.
 *
 * Shared by test/robustness.test.ts (inside workerd, modest runs) and scripts/fuzz.ts (under Node, long runs).
 */
import fc from 'fast-check';
import { limits } from '../../src/http/limits.js';
import { conformanceViolations } from './conformance.js';
import {
  apiDescription,
  concretePath,
  exampleQuery,
  resolve,
  typesOf,
  type JsonSchema,
  type Operation,
} from './operations.js';

/** A request as sent: the body is text so that it can carry what JSON.stringify cannot (1e309, duplicate keys). */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzResponse {
  status: number;
  contentType: string;
  etag: string;
  text: string;
}

/** Every fuzzed request carries this id, so problem bodies (which echo it) can be compared byte for byte. */
const fixedRequestId = 'robustness-fuzz';

// ── JSON text with the things JSON.stringify cannot write ───────────────────────────────────────────────

/** A literal piece of JSON text, e.g. a number token that parses to Infinity. */
class RawJson {
  constructor(readonly text: string) {}
}
/** An object written with the given entries in order, duplicates included (JSON.parse keeps the last). */
class DuplicateKeys {
  constructor(readonly entries: [string, unknown][]) {}
}

function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof DuplicateKeys) {
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => toJsonText(v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .map((k) => `${JSON.stringify(k)}:${toJsonText((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  if (value === undefined) return 'null';
  return JSON.stringify(value);
}

/** A plain object that may hold an own "__proto__" key (assignment on a literal would set the prototype). */
function objectFrom(entries: [string, unknown][]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

// ── Leaf values at the edges ─────────────────────────────────────────────────────────────────────────────

const dangerousKeys = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  ' ',
  'é',
  '🙂',
];

/** Strings that number parsers treat specially, and other awkward text. */
const nanLikeStrings = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '1e-400',
  '-0',
  '0x10',
  '0b11',
  '1_000',
  ' 3',
  '3 ',
  '３',
  '٣',
  '3.0',
  '+3',
  '',
  '  ',
  'null',
  'true',
  'undefined',
  '[]',
  '{}',
  '9'.repeat(400),
  '\u0000',
  '\ud800',
  'ﬀ',
  'A\u030A',
  '𝟛',
  '<script>',
  '../../etc/passwd',
  '%00',
  'a'.repeat(5000),
];

const extremeNumbers = [
  0,
  -0,
  1,
  -1,
  2,
  3,
  7,
  0.5,
  -0.5,
  1.5,
  1e-9,
  2 ** 31,
  -(2 ** 31),
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e21,
  1e300,
];

const rawNumberTokens = ['1e309', '-1e309', '1e-400', '-0', '1E400', '9'.repeat(400), `0.${'0'.repeat(300)}1`, '1.0'];

function numberArbitrary(schema: JsonSchema, wild = true, integer = false): fc.Arbitrary<unknown> {
  const lo = typeof schema.minimum === 'number' ? schema.minimum : -1e6;
  const hi = typeof schema.maximum === 'number' ? schema.maximum : 1e6;
  if (!wild) {
    // In range, at the edges: the requests most likely to be accepted and then cost the most.
    const inRange = [lo, hi, lo + 1, hi - 1, 0, 1, 2, 3, 5, 7].filter(
      (n) => n >= lo && n <= hi && (!integer || Number.isInteger(n)),
    );
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...inRange) },
      {
        weight: 2,
        arbitrary: integer
          ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
          : fc.double({ min: lo, max: hi, noNaN: true }),
      },
    );
  }
  const edges: number[] = [...extremeNumbers];
  for (const bound of [schema.minimum, schema.maximum, schema.exclusiveMinimum, schema.exclusiveMaximum]) {
    if (typeof bound === 'number') edges.push(bound, bound - 1, bound + 1, bound - 0.5, bound + 0.5);
  }
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...edges) },
    { weight: 3, arbitrary: fc.integer({ min: Math.ceil(Math.min(lo, hi)), max: Math.floor(Math.max(lo, hi)) }) },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.constantFrom(...rawNumberTokens).map((t) => new RawJson(t)) },
    { weight: 1, arbitrary: fc.constantFrom(...nanLikeStrings) },
  );
}

function stringArbitrary(schema: JsonSchema, wild = true): fc.Arbitrary<unknown> {
  if (!wild) {
    const max = Math.min(schema.maxLength ?? 40, 200);
    const min = Math.min(schema.minLength ?? 0, max);
    const valid: fc.Arbitrary<unknown>[] = [
      fc.string({ unit: 'grapheme', minLength: Math.max(min, 1), maxLength: Math.max(max, 1) }),
      fc
        .constantFrom('a', 'z1', 'node-1', 'é', '🙂', '__proto__', 'constructor')
        .filter((t) => t.length >= min && t.length <= max),
    ];
    if (schema.example !== undefined) valid.push(fc.constant(schema.example));
    if (schema.format === 'ipv4') return fc.ipV4();
    if (schema.format === 'ipv6') return fc.ipV6();
    if (schema.pattern)
      return schema.example !== undefined ? fc.constant(schema.example) : fc.stringMatching(new RegExp(schema.pattern));
    return fc.oneof(...valid);
  }
  const options: fc.WeightedArbitrary<unknown>[] = [
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
    { weight: 2, arbitrary: fc.constantFrom(...nanLikeStrings) },
    { weight: 1, arbitrary: fc.constantFrom(...dangerousKeys) },
  ];
  if (schema.example !== undefined) options.push({ weight: 2, arbitrary: fc.constant(schema.example) });
  if (schema.format === 'ipv4') options.push({ weight: 2, arbitrary: fc.oneof(fc.ipV4(), fc.ipV4Extended()) });
  if (schema.format === 'ipv6') options.push({ weight: 2, arbitrary: fc.ipV6() });
  if (typeof schema.maxLength === 'number') {
    const n = schema.maxLength;
    options.push({ weight: 1, arbitrary: fc.constantFrom('x'.repeat(n), 'x'.repeat(n + 1)) });
  }
  return fc.oneof(...options);
}

/** Anything JSON can hold, including the awkward leaves above. */
const wildValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(...extremeNumbers) },
  { weight: 1, arbitrary: fc.constantFrom(...rawNumberTokens).map((t) => new RawJson(t)) },
  { weight: 1, arbitrary: fc.constantFrom(...nanLikeStrings) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [[]], [{}]) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 2, max: 400 }), fc.boolean())
      .map(([depth, asArrays]) => nested(depth, asArrays)),
  },
);

function nested(depth: number, asArrays: boolean): unknown {
  let value: unknown = asArrays ? [] : {};
  for (let i = 0; i < depth; i++) value = asArrays ? [value] : { a: value };
  return value;
}

// ── Values shaped by the schema ─────────────────────────────────────────────────────────────────────────

type Document = ReturnType<typeof apiDescription>['document'];

/**
 * Mostly schema-valid values at the edges of the schema, sometimes wrong in one place: the requests most
 * likely to reach the engine with something it did not expect.
 */
function schemaValue(document: Document, input: JsonSchema | undefined, depth = 0, wild = true): fc.Arbitrary<unknown> {
  const schema = resolve(document, input);
  if (depth > 8) return fc.constantFrom(null, 0, '', [], {});
  const shaped = shapedValue(document, schema, depth, wild);
  return wild ? fc.oneof({ weight: 12, arbitrary: shaped }, { weight: 1, arbitrary: wildValue }) : shaped;
}

function shapedValue(document: Document, schema: JsonSchema, depth: number, wild: boolean): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) {
    return wild
      ? fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...schema.enum) },
          { weight: 1, arbitrary: stringArbitrary({}, true) },
        )
      : fc.constantFrom(...schema.enum);
  }
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches?.length) return fc.oneof(...branches.map((b) => schemaValue(document, b, depth + 1, wild)));
  const types = typesOf(schema);
  if (types.length === 0) return wild ? wildValue : fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(
    ...types.map((type) => {
      switch (type) {
        case 'object':
          return objectValue(document, schema, depth, wild);
        case 'array':
          return arrayValue(document, schema, depth, wild);
        case 'integer':
        case 'number':
          return numberArbitrary(schema, wild, type === 'integer');
        case 'string':
          return stringArbitrary(schema, wild);
        case 'boolean':
          return wild ? fc.oneof(fc.boolean(), fc.constantFrom('true', 0, 1)) : fc.boolean();
        case 'null':
          return fc.constant(null);
        default:
          return wildValue;
      }
    }),
  );
}

function objectValue(document: Document, schema: JsonSchema, depth: number, wild: boolean): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const fields = properties.map(([name, sub]) =>
    fc.tuple(fc.constant(name), schemaValue(document, sub, depth + 1, wild), fc.integer({ min: 0, max: 9 })),
  );
  const extras = fc.array(
    fc.tuple(fc.oneof(fc.constantFrom(...dangerousKeys), fc.string({ maxLength: 8 })), wildValue),
    { maxLength: 2 },
  );
  return fc
    .record({
      fields: fc.tuple(...fields),
      extras: wild
        ? fc.oneof({ weight: 5, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: extras })
        : fc.constant([]),
      duplicate: fc.integer({ min: 0, max: 19 }),
    })
    .map(({ fields: generated, extras: extra, duplicate }) => {
      // Required fields are present (9 times in 10 when wild), optional ones about half of the time.
      const entries: [string, unknown][] = generated
        .filter(([name, , roll]) => (required.has(name) ? roll > 0 || !wild : roll >= 5))
        .map(([name, value]) => [name, value]);
      entries.push(...(extra as [string, unknown][]));
      if (duplicate === 0 && entries.length > 0) {
        // A duplicated key in the text: JSON.parse keeps the last, and so must every answer.
        const [key, value] = entries[0]!;
        return new DuplicateKeys(wild ? [...entries, [key, null]] : [[key, null], ...entries.slice(1), [key, value]]);
      }
      return objectFrom(entries);
    });
}

/** Arrays: empty, at the bounds, one past them, and enormous (a repeated element, up to and past maxBodyBytes). */
function arrayValue(document: Document, schema: JsonSchema, depth: number, wild: boolean): fc.Arbitrary<unknown> {
  const element = schemaValue(document, schema.items, depth + 1, wild);
  const lo = schema.minItems ?? 0;
  const hi = schema.maxItems ?? 5000;
  const lengths = wild ? [0, 1, 2, 3] : [lo, lo + 1, lo + 2].filter((n) => n <= hi);
  for (const bound of [schema.minItems, schema.maxItems]) {
    if (typeof bound === 'number')
      lengths.push(...(wild ? [Math.max(0, bound - 1), bound, bound + 1] : [bound, Math.max(lo, bound - 1)]));
  }
  const ordinary = fc.integer({ min: 0, max: lengths.length - 1 }).chain((i) => {
    const length = Math.min(lengths[i]!, 5000);
    return fc.array(element, { minLength: length, maxLength: length });
  });
  const enormous = fc
    .tuple(element, fc.integer({ min: 100, max: Math.floor(limits.maxBodyBytes / 2) + 10 }))
    .map(([item, count]) => {
      const itemBytes = Math.max(2, toJsonText(item).length + 1);
      // Enough copies to land near the body limit, on either side of it.
      return Array.from({ length: Math.min(count, Math.ceil((limits.maxBodyBytes * 1.1) / itemBytes)) }, () => item);
    });
  const duplicatedNames = fc
    .array(element, { minLength: Math.max(2, lo), maxLength: Math.max(2, Math.min(hi, 6)) })
    .map((items) => duplicateNames(items));
  return fc.oneof(
    { weight: 6, arbitrary: ordinary },
    ...(wild || schema.maxItems === undefined ? [{ weight: 1, arbitrary: enormous }] : []),
    { weight: 2, arbitrary: duplicatedNames },
  );
}

/** Objects that share a name: members, nodes and zones are named, and a name must mean one thing. */
function duplicateNames(items: unknown[]): unknown[] {
  const first = items[0];
  if (first && typeof first === 'object' && 'name' in (first as object)) {
    const name = (first as Record<string, unknown>).name;
    return items.map((item) =>
      item &&
      typeof item === 'object' &&
      !Array.isArray(item) &&
      !(item instanceof RawJson) &&
      !(item instanceof DuplicateKeys)
        ? { ...(item as object), name }
        : item,
    );
  }
  return items.length > 1 ? [...items.slice(0, -1), first] : items;
}

// ── Mutating documented examples ─────────────────────────────────────────────────────────────────────────

/** Every JSON-pointer-like path inside a value (containers and leaves). */
function pathsOf(
  value: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => void pathsOf(v, [...prefix, i], out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === removed) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = value;
  return copy;
}

const removed = Symbol('removed');

/** The sub-schema at a path of a value, choosing among oneOf/anyOf branches by the value's own type. */
function schemaAt(
  document: Document,
  root: JsonSchema | undefined,
  value: unknown,
  path: (string | number)[],
): JsonSchema | undefined {
  let schema: JsonSchema | undefined = root;
  let current: unknown = value;
  for (const key of [undefined, ...path]) {
    if (key !== undefined) {
      if (!schema) return undefined;
      schema = typeof key === 'number' ? schema.items : schema.properties?.[key];
      current = (current as Record<string | number, unknown> | undefined)?.[key];
    }
    schema = schema && branchFor(document, resolve(document, schema), current);
  }
  return schema;
}

function branchFor(document: Document, schema: JsonSchema, value: unknown): JsonSchema {
  const branches = schema.oneOf ?? schema.anyOf;
  if (!branches?.length) return schema;
  const kind = Array.isArray(value)
    ? 'array'
    : value === null
      ? 'null'
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? 'integer'
          : 'number'
        : typeof value;
  const resolved = branches.map((b) => resolve(document, b));
  const match =
    resolved.find((b) => typesOf(b).includes(kind)) ??
    resolved.find((b) => kind === 'integer' && typesOf(b).includes('number'));
  return match ? branchFor(document, match, value) : schema;
}

/** An array grown from its own first element: to its maxItems, one past it, or enormous; or with names made equal. */
function grownArrays(items: unknown[], schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const seed = items[0] ?? 0;
  const lengths = [
    0,
    1,
    items.length + 1,
    1000,
    Math.ceil(limits.maxBodyBytes / Math.max(2, toJsonText(seed).length + 1)) + 1,
  ];
  if (typeof schema?.maxItems === 'number') lengths.push(schema.maxItems, schema.maxItems + 1);
  return fc.oneof(
    fc
      .constantFrom(...lengths)
      .map((n) =>
        Array.from({ length: n }, (_, i) => renamed(structuredClone(items[i % Math.max(1, items.length)] ?? seed), i)),
      ),
    fc.constant(duplicateNames(structuredClone(items))),
  );
}

/** Copies of a named element get distinct names (a valid large list), otherwise they are left as they are. */
function renamed(item: unknown, index: number): unknown {
  if (
    item &&
    typeof item === 'object' &&
    !Array.isArray(item) &&
    typeof (item as Record<string, unknown>).name === 'string'
  ) {
    return { ...(item as object), name: `${(item as Record<string, unknown>).name}-${index}` };
  }
  return item;
}

/** A documented example with one place changed: valid everywhere else, so the change reaches deep validation and the engine. */
function mutatedExample(document: Document, operation: Operation): fc.Arbitrary<unknown> | undefined {
  if (operation.bodyExamples.length === 0) return undefined;
  return fc.integer({ min: 0, max: operation.bodyExamples.length - 1 }).chain((which) => {
    const example = structuredClone(operation.bodyExamples[which]!.value);
    const paths = pathsOf(example);
    return fc.integer({ min: 0, max: paths.length - 1 }).chain((at) => {
      const path = paths[at]!;
      const here = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], example);
      const schema = schemaAt(document, operation.body, example, path);
      const options: fc.WeightedArbitrary<unknown>[] = [
        { weight: 2, arbitrary: fc.constantFrom(...extremeNumbers) },
        { weight: 1, arbitrary: fc.constantFrom(...rawNumberTokens).map((t) => new RawJson(t)) },
        { weight: 2, arbitrary: fc.constantFrom(...nanLikeStrings) },
        { weight: 1, arbitrary: wildValue },
        { weight: 1, arbitrary: fc.constant(removed) },
      ];
      if (schema) {
        options.push(
          { weight: 5, arbitrary: schemaValue(document, schema, 0, false) },
          { weight: 2, arbitrary: schemaValue(document, schema, 0, true) },
        );
      }
      if (Array.isArray(here)) options.push({ weight: 5, arbitrary: grownArrays(here, schema) });
      if (here && typeof here === 'object' && !Array.isArray(here)) {
        options.push({
          weight: 2,
          arbitrary: fc
            .tuple(fc.constantFrom(...dangerousKeys), wildValue)
            .map(([key, value]) => objectFrom([...Object.entries(here), [key, value]])),
        });
      }
      return fc
        .oneof(...options)
        .map((replacement) => (path.length === 0 ? replacement : setAtRaw(example, path, replacement)));
    });
  });
}

function setAtRaw(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (value instanceof RawJson || value instanceof DuplicateKeys) {
    const copy = setAt(root, path, null) as Record<string | number, unknown>;
    let parent: Record<string | number, unknown> = copy;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    parent[path[path.length - 1]!] = value;
    return copy;
  }
  return setAt(root, path, value);
}

// ── Whole requests ───────────────────────────────────────────────────────────────────────────────────────

/** Body texts that are not JSON values from a schema at all. */
const rawBodies: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 100, max: 40_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 100, max: 9_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.integer({ min: 100, max: 40_000 }).map((n) => '['.repeat(n)),
  fc.constantFrom(
    '',
    ' ',
    'null',
    '0',
    '"x"',
    '[]',
    '{}',
    '{"a":1,"a":2}',
    '\ufeff{}',
    '{',
    '}',
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    'NaN',
    'Infinity',
    '1e309',
    '{"a":1e309}',
    "{'a':1}",
    '{"a":1,}',
    '\u0000',
  ),
  fc
    .integer({ min: limits.maxBodyBytes - 4, max: limits.maxBodyBytes + 4 })
    .map((n) => `"${'x'.repeat(Math.max(0, n - 2))}"`),
  fc.string({ unit: 'binary', maxLength: 64 }),
);

const contentTypes = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/merge-patch+json', 'APPLICATION/JSON'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
      'application/jsonx',
    ),
  },
);

function queryArbitrary(document: Document, operation: Operation): fc.Arbitrary<[string, string][]> {
  const names = operation.query.map((p) => p.name);
  const valueFor = (schema: JsonSchema | undefined): fc.Arbitrary<string> =>
    schemaValue(document, schema).map((v) =>
      typeof v === 'string' ? v : v instanceof RawJson ? v.text : toJsonText(v),
    );
  const base = Object.entries(exampleQuery(operation));
  // The example query with one parameter pushed to an edge, duplicated or dropped.
  const oneChanged =
    names.length === 0
      ? fc.constant(base)
      : fc.tuple(fc.integer({ min: 0, max: names.length - 1 }), fc.integer({ min: 0, max: 3 })).chain(([i, how]) => {
          const parameter = operation.query[i]!;
          return valueFor(parameter.schema).map((value): [string, string][] => {
            const others = base.filter(([k]) => k !== parameter.name);
            if (how === 0) return others;
            if (how === 1) return [...base, [parameter.name, value]];
            return [...others, [parameter.name, value]];
          });
        });
  const anyParameters = fc.array(
    fc.tuple(
      names.length ? fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 })) : fc.string({ maxLength: 8 }),
      fc.oneof(fc.string({ unit: 'grapheme', maxLength: 16 }), fc.constantFrom(...nanLikeStrings)),
    ),
    { maxLength: 6 },
  );
  return fc.oneof({ weight: 4, arbitrary: oneChanged }, { weight: 2, arbitrary: anyParameters });
}

/** Any request to one operation, mostly with its own method, sometimes another (405) or a neighbour path (404). */
export function requestArbitrary(
  operation: Operation,
  document: Document = apiDescription().document,
): fc.Arbitrary<FuzzRequest> {
  const path = concretePath(operation);
  const methodArbitrary = fc.oneof(
    { weight: 20, arbitrary: fc.constant(operation.method) },
    { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS') },
  );
  const pathArbitrary = fc.oneof(
    { weight: 30, arbitrary: fc.constant(path) },
    { weight: 1, arbitrary: fc.constantFrom(`${path}/`, `${path}/x`, path.toUpperCase(), `${path}%00`, `${path}/..`) },
  );
  const bodyValue =
    operation.body === undefined
      ? undefined
      : fc.oneof(
          ...[
            { weight: 3, arbitrary: schemaValue(document, operation.body).map(toJsonText) },
            { weight: 3, arbitrary: schemaValue(document, operation.body, 0, false).map(toJsonText) },
            { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(toJsonText) },
            { weight: 2, arbitrary: rawBodies },
          ],
          ...(mutatedExample(document, operation)
            ? [{ weight: 8, arbitrary: mutatedExample(document, operation)!.map(toJsonText) }]
            : []),
        );
  return fc
    .record({
      method: methodArbitrary,
      path: pathArbitrary,
      query: queryArbitrary(document, operation),
      contentType: contentTypes,
      body: bodyValue ?? fc.constant(undefined),
    })
    .map(({ method, path: p, query, contentType, body }) => {
      const search = new URLSearchParams(query).toString();
      const headers: Record<string, string> = { 'x-request-id': fixedRequestId };
      const takesBody = method !== 'GET' && method !== 'HEAD';
      if (takesBody && contentType) headers['content-type'] = contentType;
      return {
        method,
        url: p + (search ? `?${search}` : ''),
        headers,
        ...(takesBody && body !== undefined ? { body } : {}),
      };
    });
}

// ── Sending and judging ─────────────────────────────────────────────────────────────────────────────────

export interface Fetcher {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/** Sends one request; a request that does not answer within timeoutMs is reported as a hang. */
async function send(app: Fetcher, request: FuzzRequest, timeoutMs: number): Promise<FuzzResponse | 'hang'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'hang'>((resolveHang) => {
    timer = setTimeout(() => resolveHang('hang'), timeoutMs);
  });
  const answer = (async (): Promise<FuzzResponse> => {
    const init: RequestInit = { method: request.method, headers: request.headers };
    if (request.body !== undefined) init.body = request.body;
    const response = await app.request(`http://localhost${request.url}`, init);
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      etag: response.headers.get('etag') ?? '',
      text: await response.text(),
    };
  })();
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function hasOwnPath(root: unknown, tokens: string[]): boolean {
  let current: unknown = root;
  for (const token of tokens) {
    if (current === null || typeof current !== 'object') return false;
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (!Object.hasOwn(current, key)) return false;
    current = (current as Record<string, unknown>)[key];
  }
  return true;
}

/** What is wrong with one answer, as sentences; empty when it is fine. */
export function violations(
  operation: Operation | undefined,
  request: FuzzRequest,
  response: FuzzResponse | 'hang',
): string[] {
  if (response === 'hang') return ['no answer within the time bound (a hang)'];
  const problems: string[] = [];
  const { status, contentType, text } = response;
  if (status >= 500) problems.push(`answered ${status}`);
  if (status >= 400) {
    if (!/^application\/problem\+json/.test(contentType))
      problems.push(`a ${status} with content-type "${contentType}", not problem+json`);
    if (request.method === 'HEAD') return problems;
    let problem: any;
    try {
      problem = JSON.parse(text);
    } catch {
      problems.push(`a ${status} whose body is not JSON`);
      return problems;
    }
    for (const field of ['type', 'title', 'detail'] as const) {
      if (typeof problem?.[field] !== 'string' || problem[field].length === 0)
        problems.push(`problem without a ${field}`);
    }
    if (problem?.status !== status)
      problems.push(`problem.status ${problem?.status} differs from the HTTP status ${status}`);
    if (status === 400) {
      const errors = problem?.errors;
      if (!Array.isArray(errors) || errors.length === 0)
        problems.push('a 400 without an errors list pointing at the fields');
      else {
        let body: unknown;
        let parsed = false;
        try {
          body = request.body === undefined ? undefined : JSON.parse(request.body);
          parsed = true;
        } catch {
          // Malformed JSON: the only pointer that makes sense is the whole body.
        }
        for (const error of errors) {
          if (typeof error?.pointer !== 'string' || typeof error?.detail !== 'string' || !error.detail) {
            problems.push(`an error entry without pointer and detail: ${JSON.stringify(error)}`);
            continue;
          }
          if (!['body', 'query', 'path', 'header'].includes(error.location))
            problems.push(`error location "${error.location}"`);
          if (error.location === 'body') {
            if (error.pointer !== '' && !error.pointer.startsWith('/'))
              problems.push(`body pointer "${error.pointer}" is not a JSON pointer`);
            // The pointer names a place in the body the client sent: its parent must exist there.
            const tokens = error.pointer.split('/').slice(1);
            if (parsed && tokens.length > 0 && !hasOwnPath(body, tokens.slice(0, -1))) {
              problems.push(`body pointer "${error.pointer}" does not lead into the request body`);
            }
          }
          if (error.location === 'query' && operation) {
            const sent = [...new URL(`http://x${request.url}`).searchParams.keys()];
            const known = new Set([...operation.query.map((p) => p.name), ...sent]);
            if (!known.has(error.pointer)) problems.push(`query pointer "${error.pointer}" names no parameter`);
          }
        }
      }
    }
  } else if (status >= 200 && status < 300 && request.method !== 'HEAD' && status !== 204) {
    // JSON answers, the HTML pages, and the charts (GET /charts/*.svg, or Accept: image/svg+xml).
    const svg = /^image\/svg\+xml/.test(contentType);
    if (!/json/.test(contentType) && !/html/.test(contentType) && !svg)
      problems.push(`a ${status} with content-type "${contentType}"`);
    if (svg && !text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'))
      problems.push(`a ${status} SVG that is not an SVG document`);
    if (/json/.test(contentType)) {
      try {
        JSON.parse(text);
      } catch {
        problems.push(`a ${status} whose JSON body does not parse`);
      }
    }
  }
  return problems;
}

export function describeRequest(request: FuzzRequest): string {
  const body =
    request.body === undefined
      ? ''
      : ` body(${request.body.length} chars)=${request.body.slice(0, 300)}${request.body.length > 300 ? '…' : ''}`;
  return `${request.method} ${request.url.slice(0, 300)} ${JSON.stringify(request.headers)}${body}`;
}

/**
 * The property for one operation: the request answered within the bound, no 5xx, problem+json on 4xx, and
 * the same bytes on a second identical request.
 */
export function robustnessProperty(app: Fetcher, operation: Operation, timeoutMs: number, document?: Document) {
  const served = document ?? apiDescription().document;
  return fc.asyncProperty(requestArbitrary(operation, served), async (request) => {
    const first = await send(app, request, timeoutMs);
    const found = violations(operation, request, first);
    if (first !== 'hang') {
      found.push(...conformanceViolations(served, { method: request.method, url: request.url, ...first }));
      const second = await send(app, request, timeoutMs);
      if (second === 'hang') found.push('the repeated request hung');
      else if (
        second.status !== first.status ||
        second.text !== first.text ||
        second.etag !== first.etag ||
        second.contentType !== first.contentType
      ) {
        found.push(`the same request answered differently: ${first.status} vs ${second.status}`);
      }
    }
    if (found.length > 0)
      throw new Error(
        `${found.join('; ')}\n  request: ${describeRequest(request)}\n  answer: ${first === 'hang' ? 'hang' : `${first.status} ${first.text.slice(0, 400)}`}`,
      );
  });
}
