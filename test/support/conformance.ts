/**
 * @module support/conformance
 * Does an answer match what the served OpenAPI document promises for it? The status must be one the operation
 * documents, the media type one it lists for that status, and the body must validate against that response's
 * JSON Schema — checked with @cfworker/json-schema (a complete 2020-12 validator that runs in workerd and
 * Node alike), not with the zod schemas the document was generated from, so a generator quirk (a nullable
 * component that null can never satisfy) shows up here.
 *
 * Shared by the Workers tests (robustness, conformance, MCP) and the black-box fuzzer under Node.
 */
import { Validator, type OutputUnit } from '@cfworker/json-schema';
import { standaloneSchema } from '../../src/http/operations.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonObject = Record<string, any>;

export interface Answer {
  method: string;
  /** The request URL's path (a query string, if any, is ignored). */
  url: string;
  status: number;
  contentType: string;
  text: string;
}

const validators = new WeakMap<object, Map<string, Validator>>();

/** A validator for a schema of the document ($refs into components resolved), built once per document. */
function validatorFor(document: JsonObject, key: string, schema: JsonObject): Validator {
  let cache = validators.get(document);
  if (!cache) {
    cache = new Map();
    validators.set(document, cache);
  }
  let validator = cache.get(key);
  if (!validator) {
    validator = new Validator(standaloneSchema(schema, document), '2020-12', false);
    cache.set(key, validator);
  }
  return validator;
}

/** The first few validation errors as "instance pointer: message" lines. */
function describeErrors(errors: readonly OutputUnit[]): string {
  // cfworker reports every failing ancestor too; the deepest ones say what is actually wrong.
  const deepest = [...errors].sort((a, b) => b.instanceLocation.length - a.instanceLocation.length).slice(0, 4);
  return deepest.map((e) => `${e.instanceLocation.replace(/^#/, '') || '(root)'}: ${e.error}`).join('; ');
}

/** Validates a JSON value against a schema of the document; [] when it conforms. */
export function schemaViolations(document: JsonObject, key: string, schema: JsonObject, value: unknown): string[] {
  const result = validatorFor(document, key, schema).validate(value);
  return result.valid ? [] : [`${key}: ${describeErrors(result.errors)}`];
}

/** The document's path item for a concrete path: exact, or a template whose `{param}` segments match. */
function pathItem(document: JsonObject, path: string): JsonObject | undefined {
  const paths = (document.paths ?? {}) as Record<string, JsonObject>;
  if (paths[path]) return paths[path];
  for (const [template, item] of Object.entries(paths)) {
    if (!template.includes('{')) continue;
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
    if (new RegExp(`^${pattern}$`).test(path)) return item;
  }
  return undefined;
}

/** The problem schema every error answer uses, also for paths and methods the document does not list. */
function problemSchema(document: JsonObject): JsonObject {
  return document.components?.schemas?.Problem ? { $ref: '#/components/schemas/Problem' } : { type: 'object' };
}

/**
 * What is wrong with one answer against the document, as sentences; empty when it conforms. CORS preflight
 * answers (OPTIONS) and bodiless answers (HEAD, 204, 304) are checked for their status only.
 */
export function conformanceViolations(document: JsonObject, answer: Answer): string[] {
  const path = new URL(answer.url, 'http://x').pathname;
  const method = answer.method.toLowerCase();
  if (method === 'options') return [];
  const item = pathItem(document, path);
  const operation = item?.[method === 'head' ? 'get' : method] as JsonObject | undefined;
  let schema: JsonObject | undefined;
  let key: string;
  if (operation) {
    const response = operation.responses?.[String(answer.status)] ?? operation.responses?.default;
    key = `${method.toUpperCase()} ${path} ${answer.status}`;
    if (!response) return [`${key}: status ${answer.status} is not documented for this operation`];
    const content = response.content as Record<string, JsonObject> | undefined;
    if (!content || method === 'head' || answer.status === 304) return [];
    const mediaType = answer.contentType.split(';')[0]!.trim().toLowerCase();
    const declared = content[mediaType];
    if (!declared)
      return [
        `${key}: answered ${mediaType || 'no media type'}; the document lists ${Object.keys(content).join(', ')}`,
      ];
    // Only JSON bodies have a schema to check here (an SVG chart is judged by its media type above).
    if (!/[/+]json$/.test(mediaType)) return [];
    schema = declared.schema;
    // A declared non-JSON media type (the SVG charts) is checked for its type only: there is no JSON to walk.
    if (!/json$/.test(mediaType)) return [];
  } else {
    // An unknown path (404) or a method the path does not take (405): a problem either way.
    key = `${answer.status} problem`;
    if (answer.status !== 404 && answer.status !== 405) {
      if (!item && path.startsWith('/v1/'))
        return [`${method.toUpperCase()} ${path}: ${answer.status} on a path the document does not list`];
      return [];
    }
    schema = problemSchema(document);
  }
  if (!schema || method === 'head') return [];
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [`${key}: the body is not JSON`];
  }
  return schemaViolations(document, key, schema, body);
}
