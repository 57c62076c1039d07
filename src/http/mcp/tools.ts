/**
 * @module mcp/tools
 * The MCP tools of an app, built from its OpenAPI document: one per /v1 GET or POST operation, with the
 * route's parameters or body schema as the input schema, its answer schema as the output schema, and the
 * curated names and descriptions of ./tool-texts.ts. Under Node and in the tests they are built from the
 * generated document; the Worker serves them as the build computed them (../api-document.prebuilt.ts).
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import {
  capabilityOperations,
  operationKey,
  standaloneSchema,
  type JsonObject,
  type Operation,
} from '../operations.js';
import { toolTexts } from './tool-texts.js';

export type McpTool = { operation: Operation; tool: Tool };

/**
 * The tools for an app: one per /v1 GET or POST operation of its OpenAPI document. DELETE (cancelling a tuning
 * job) is left to people: a tool that destroys a user's work is not one a model should reach for.
 */
export function mcpTools(document: JsonObject): McpTool[] {
  return toolOperations(document).map((operation) => {
    const text = toolTexts[operationKey(operation)];
    const parameters = [...operation.pathParameters, ...operation.parameters];
    const inputSchema =
      operation.method === 'GET'
        ? {
            type: 'object' as const,
            properties: Object.fromEntries(
              parameters.map((p) => [
                p.name,
                { ...p.schema, ...(p.description ? { description: p.description } : {}) },
              ]),
            ),
            required: parameters.filter((p) => p.required).map((p) => p.name),
            additionalProperties: false,
          }
        : (standaloneSchema(operation.bodySchema ?? { type: 'object' }, document) as Tool['inputSchema']);
    const outputSchema = operation.answerSchema
      ? (objectRooted(standaloneSchema(operation.answerSchema, document)) as Tool['outputSchema'])
      : undefined;
    return {
      operation,
      tool: {
        // Without curated text (a test insists on it) the route's own summary and description stand in.
        name: text?.name ?? defaultToolName(operation.operationId),
        title: text?.title ?? operation.summary,
        description: `${text?.description ?? `${operation.summary}. ${operation.description}`} (REST: ${operationKey(operation)})`,
        inputSchema: standardKeywords(inputSchema) as Tool['inputSchema'],
        ...(outputSchema?.type === 'object'
          ? { outputSchema: standardKeywords(outputSchema) as Tool['outputSchema'] }
          : {}),
        annotations: {
          readOnlyHint: true,
          idempotentHint: true,
          openWorldHint: false,
          destructiveHint: false,
          ...text?.annotations,
        },
      },
    };
  });
}

/**
 * MCP wants an output schema whose root says `type: object`. An answer that is one of several objects (the two
 * kinds of simulation) is `anyOf` of object schemas: saying `type: object` beside it changes nothing it accepts.
 */
function objectRooted(schema: JsonObject): JsonObject {
  if (schema.type !== undefined) return schema;
  const branches = (schema.anyOf ?? schema.oneOf) as JsonObject[] | undefined;
  const defs = (schema.$defs ?? {}) as Record<string, JsonObject>;
  const isObject = (b: JsonObject) =>
    b.type === 'object' || (typeof b.$ref === 'string' && defs[b.$ref.slice('#/$defs/'.length)]?.type === 'object');
  return branches?.length && branches.every(isObject) ? { type: 'object', ...schema } : schema;
}

/** Keywords whose value maps names to schemas (not a schema itself). */
const schemaMaps = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/**
 * OpenAPI's `example` is not a JSON Schema keyword (Ajv's strict mode rejects it); tool schemas carry the
 * standard `examples: [value]` instead.
 */
function standardKeywords(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(standardKeywords);
  if (!schema || typeof schema !== 'object') return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'example') {
      if (!('examples' in schema)) out.examples = [value];
    } else if (schemaMaps.has(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, standardKeywords(sub)]));
    } else if (key === 'enum' || key === 'const' || key === 'default' || key === 'examples' || key === 'required') {
      out[key] = value;
    } else {
      out[key] = standardKeywords(value);
    }
  }
  return out;
}

/** The operations offered as tools (every /v1 operation but DELETE). */
export function toolOperations(document: JsonObject): ReturnType<typeof capabilityOperations> {
  return capabilityOperations(document).filter((operation) => operation.method !== 'DELETE');
}

function defaultToolName(operationId: string): string {
  return operationId
    .replace(/^(get|post|create|run|generate)(?=[A-Z])/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
