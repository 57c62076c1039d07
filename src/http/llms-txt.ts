/**
 * @module llms-txt
 * /llms.txt: a plain-text map of the API for agents (the llmstxt.org convention), generated from the
 * OpenAPI document so that it lists exactly the routes the app serves and cannot go stale.
 */
import { capabilityOperations, operationKey, type JsonObject, type Operation } from './operations.js';
import { toolTexts } from './mcp/tool-texts.js';

export function llmsTxt(document: JsonObject): string {
  const operations = capabilityOperations(document);
  const description = String(document.info?.description ?? '');
  const [intro = '', limitsSection = ''] = description.split('## Limits');
  const lines = [
    `# ${document.info?.title ?? 'API'}`,
    '',
    `> ${intro.split('\n\n')[0]}`,
    '',
    intro.split('\n\n').slice(1).join('\n\n').trim(),
    '',
    'Links (relative to this host):',
    '- /openapi.json: the OpenAPI 3.1 contract (schemas, examples, every error response).',
    '- /docs: interactive reference for people.',
    '- /mcp: the same operations as MCP tools (streamable HTTP, stateless; POST JSON-RPC). Tool names are given below.',
    '',
    '## Operations',
    '',
  ];
  for (const op of operations) lines.push(...describeOperation(op, document), '');
  lines.push(
    '## Limits',
    '',
    'Beyond a limit the answer is a 400 (413 for the body size) problem+json naming the limit.',
    '',
    limitsSection.trim(),
    '',
  );
  lines.push(
    '## Errors',
    '',
    'Every 4xx/5xx is RFC 9457 application/problem+json: type, title, status, detail, requestId; validation problems add',
    '`errors`, one { pointer, location, detail } per offending field (a JSON pointer into the body, or the query parameter name).',
    '',
  );
  return lines.join('\n');
}

function describeOperation(op: Operation, document: JsonObject): string[] {
  const tool = toolTexts[operationKey(op)];
  const out = [
    `### ${op.method} ${op.path}${tool ? ` (MCP tool \`${tool.name}\`)` : ''}`,
    '',
    `${op.summary}.`,
    '',
    op.description,
    '',
  ];
  if (op.pathParameters.length) {
    out.push('Path parameters:');
    for (const p of op.pathParameters) out.push(`- ${p.name}: ${p.description}`);
  }
  if (op.method === 'GET') {
    if (op.parameters.length || !op.pathParameters.length) out.push('Query parameters:');
    for (const p of op.parameters)
      out.push(`- ${p.name}${p.required ? ' (required)' : ''}: ${p.description}${range(p.schema)}`);
  } else if (op.method === 'POST') {
    out.push('JSON body fields:');
    out.push(...describeFields(resolve(op.bodySchema ?? {}, document), document, ''));
    const examples = Object.entries(op.bodyExamples);
    if (examples.length) {
      out.push('', 'Examples:');
      for (const [name, example] of examples)
        out.push(`- ${name}${example.summary ? ` (${example.summary})` : ''}: ${JSON.stringify(example.value)}`);
    }
  }
  return out;
}

/** Fields of an object schema as bullets; nested objects (two levels) as indented bullets under their field. */
function describeFields(body: JsonObject, document: JsonObject, indent: string): string[] {
  const required = new Set<string>(body.required ?? []);
  const out: string[] = [];
  for (const [name, schema] of Object.entries((body.properties ?? {}) as Record<string, JsonObject>)) {
    const resolved = resolve(schema, document);
    const text = resolved.description ?? schema.description ?? '';
    out.push(
      `${indent}- ${name}${required.has(name) ? ' (required)' : ''}:${text ? ` ${text}` : ''}${range(resolved)}`,
    );
    if (resolved.properties && indent.length < 4) out.push(...describeFields(resolved, document, `${indent}  `));
  }
  return out;
}

function resolve(schema: JsonObject, document: JsonObject): JsonObject {
  const ref = typeof schema.$ref === 'string' ? schema.$ref : undefined;
  if (!ref?.startsWith('#/components/schemas/')) return schema;
  return (
    (document.components?.schemas?.[ref.slice('#/components/schemas/'.length)] as JsonObject | undefined) ?? schema
  );
}

function range(schema: JsonObject): string {
  const parts: string[] = [];
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.join(', ')}`);
  if (schema.minimum !== undefined && schema.maximum !== undefined) parts.push(`${schema.minimum}..${schema.maximum}`);
  else if (schema.maximum !== undefined) parts.push(`at most ${schema.maximum}`);
  return parts.length ? ` [${parts.join('; ')}]` : '';
}
