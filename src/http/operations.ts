/**
 * @module operations
 * The API's operations as read from its own OpenAPI document. The MCP tools, /llms.txt and the tests derive
 * their lists from here, so a route registered in app.ts shows up on every surface without further wiring.
 */

/** A walked JSON document (the OpenAPI document): shapes vary by node, so fields are read untyped. */
// biome-ignore lint/suspicious/noExplicitAny: arbitrary JSON read field by field
export type JsonObject = Record<string, any>;

export type Operation = {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  /** Query parameters (GET operations). */
  parameters: { name: string; required: boolean; description: string; schema: JsonObject }[];
  /** Path parameters, e.g. the job id of GET /v1/tunings/{id}. */
  pathParameters: { name: string; required: boolean; description: string; schema: JsonObject }[];
  /** The JSON request body schema (POST operations), possibly a $ref into components. */
  bodySchema?: JsonObject;
  /** Named request examples: name → { summary, value }. */
  bodyExamples: Record<string, { summary?: string; value: unknown }>;
  /** The 200 answer's schema. */
  answerSchema?: JsonObject;
};

/** Every operation of the document, in path order. */
export function listOperations(document: JsonObject): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, JsonObject>)) {
    for (const method of ['get', 'post', 'delete'] as const) {
      const op = item[method] as JsonObject | undefined;
      if (!op) continue;
      const body = op.requestBody?.content?.['application/json'];
      operations.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        operationId: op.operationId,
        summary: op.summary ?? '',
        description: op.description ?? '',
        tags: op.tags ?? [],
        parameters: parametersIn(op, 'query'),
        pathParameters: parametersIn(op, 'path'),
        bodySchema: body?.schema,
        bodyExamples: body?.examples ?? (body?.example !== undefined ? { example: { value: body.example } } : {}),
        // A job-starting operation answers 202 with the job resource.
        answerSchema: (op.responses?.['200'] ?? op.responses?.['202'])?.content?.['application/json']?.schema,
      });
    }
  }
  return operations;
}

function parametersIn(op: JsonObject, place: 'query' | 'path'): Operation['parameters'] {
  return ((op.parameters ?? []) as JsonObject[])
    .filter((p) => p.in === place)
    .map((p) => ({
      name: p.name,
      required: Boolean(p.required),
      description: p.description ?? p.schema?.description ?? '',
      schema: p.schema ?? {},
    }));
}

/** The capabilities a client or model calls: everything under /v1 (health and documents excluded). */
export function capabilityOperations(document: JsonObject): Operation[] {
  return listOperations(document).filter((op) => op.path.startsWith('/v1/'));
}

export const operationKey = (op: Pick<Operation, 'method' | 'path'>) => `${op.method} ${op.path}`;

/**
 * A standalone JSON Schema (2020-12) for a schema that may $ref the document's components: the refs are
 * rewritten to `#/$defs/...` and the referenced components (transitively) are attached as `$defs`.
 */
export function standaloneSchema(schema: JsonObject, document: JsonObject): JsonObject {
  const components = (document.components?.schemas ?? {}) as Record<string, JsonObject>;
  const defs: Record<string, JsonObject> = {};
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      const out: JsonObject = {};
      for (const [key, inner] of Object.entries(value)) {
        if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/schemas/')) {
          const name = inner.slice('#/components/schemas/'.length);
          out.$ref = `#/$defs/${name}`;
          if (!(name in defs) && components[name]) {
            defs[name] = {}; // placeholder first: breaks cycles
            defs[name] = rewrite(components[name]) as JsonObject;
          }
        } else {
          out[key] = rewrite(inner);
        }
      }
      return out;
    }
    return value;
  };
  const root = rewrite(schema) as JsonObject;
  // A bare $ref root: inline it so clients that only read top-level `properties` still see them.
  if (typeof root.$ref === 'string' && Object.keys(root).length === 1) {
    const name = root.$ref.slice('#/$defs/'.length);
    const inlined = { ...defs[name] };
    const stillReferenced =
      JSON.stringify(Object.entries(defs).filter(([n]) => n !== name)).includes(`"#/$defs/${name}"`) ||
      JSON.stringify(inlined).includes(`"#/$defs/${name}"`);
    if (!stillReferenced) delete defs[name];
    return Object.keys(defs).length ? { ...inlined, $defs: defs } : inlined;
  }
  return Object.keys(defs).length ? { ...root, $defs: defs } : root;
}
