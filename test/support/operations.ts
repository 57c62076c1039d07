/**
 * @module support/operations
 * The list of operations, read from the app's own OpenAPI document, so the robustness suite, the limits
 * audit and the benchmarks cover every operation as soon as it is registered, with no list to keep in step.
 * Runs both inside workerd (tests) and under Node (bench and fuzz scripts): no fs, no Node APIs.
 */
import { createApp, openApiDocument } from '../../src/http/app.js';

/** The subset of JSON Schema (as @hono/zod-openapi emits it) that the generators read. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  maxProperties?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
  example?: unknown;
  examples?: unknown[];
  description?: string;
}

interface QueryParameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** The OpenAPI path template, e.g. /v1/quorum. */
  path: string;
  operationId: string;
  query: QueryParameter[];
  /** The JSON request body's schema ($refs resolved lazily through `resolve`), if the operation takes one. */
  body?: JsonSchema;
  /** Every request example the operation documents, named or not. */
  bodyExamples: { name: string; value: unknown }[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type OpenApiDocument = any;

let cached: { document: OpenApiDocument; operations: Operation[] } | undefined;

/** The served OpenAPI document and its operations (built once per process). */
export function apiDescription(): { document: OpenApiDocument; operations: Operation[] } {
  if (!cached) {
    const document = openApiDocument(createApp());
    cached = { document, operations: operationsOf(document) };
  }
  return cached;
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {}) as [string, Record<string, any>][]) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const query: QueryParameter[] = (operation.parameters ?? [])
        .filter((p: any) => p.in === 'query')
        .map((p: any) => ({ name: p.name, required: Boolean(p.required), schema: p.schema ?? {} }));
      const json = operation.requestBody?.content?.['application/json'];
      const bodyExamples: { name: string; value: unknown }[] = [];
      if (json?.examples) {
        for (const [name, example] of Object.entries(json.examples as Record<string, any>)) {
          if (example && 'value' in example) bodyExamples.push({ name, value: example.value });
        }
      }
      if (json?.example !== undefined) bodyExamples.push({ name: 'example', value: json.example });
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId ?? `${method} ${path}`,
        query,
        ...(json?.schema ? { body: json.schema as JsonSchema } : {}),
        bodyExamples,
      });
    }
  }
  return operations.sort((a, b) => (a.path + a.method < b.path + b.method ? -1 : 1));
}

/** Follows a local $ref (#/components/schemas/X) and merges allOf, so callers see a plain schema. */
export function resolve(document: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema {
  let current: JsonSchema = schema ?? {};
  for (let hops = 0; current.$ref && hops < 32; hops++) {
    const parts = current.$ref.replace(/^#\//, '').split('/');
    let target: any = document;
    for (const part of parts) target = target?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
    const { $ref: _ignored, ...rest } = current;
    current = { ...(target ?? {}), ...rest };
  }
  if (current.allOf?.length) {
    const merged: JsonSchema = { ...current, allOf: undefined };
    for (const part of current.allOf.map((s) => resolve(document, s))) {
      merged.properties = { ...merged.properties, ...part.properties };
      merged.required = [...(merged.required ?? []), ...(part.required ?? [])];
      merged.type ??= part.type;
    }
    return merged;
  }
  return current;
}

export function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

/** The URL path with any {param} replaced by a placeholder segment (no operation has path parameters yet). */
export function concretePath(operation: Operation): string {
  return operation.path.replace(/\{[^}]+\}/g, 'x');
}

/** A query string that satisfies the required parameters, from each parameter's example (or its minimum). */
export function exampleQuery(operation: Operation): Record<string, string> {
  const query: Record<string, string> = {};
  for (const parameter of operation.query) {
    if (!parameter.required) continue;
    const schema = parameter.schema;
    const value = schema.example ?? schema.default ?? schema.enum?.[0] ?? schema.minimum ?? 'x';
    query[parameter.name] = String(value);
  }
  return query;
}

export function urlOf(operation: Operation, query: Record<string, string>): string {
  const search = new URLSearchParams(query).toString();
  return concretePath(operation) + (search ? `?${search}` : '');
}
