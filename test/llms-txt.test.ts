import { describe, expect, it } from 'vitest';
import committed from '../openapi/openapi.json';
import { limits } from '../src/http/limits.js';
import { capabilityOperations, operationKey } from '../src/http/operations.js';
import { toolTexts } from '../src/http/mcp/tool-texts.js';
import { get } from './helpers.js';

describe('/llms.txt', () => {
  it('is plain text listing exactly the /v1 operations of the contract, each with its MCP tool name', async () => {
    const response = await get('/llms.txt');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const listed = [...text.matchAll(/^### (GET|POST|DELETE) (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);
    const expected = capabilityOperations(committed).map(operationKey);
    expect(listed.sort()).toEqual(expected.sort());
    // DELETE (cancelling a tuning job) is not an MCP tool; every other operation is.
    for (const key of expected.filter((k) => !k.startsWith('DELETE '))) {
      const tool = toolTexts[key];
      expect(tool, `${key} has MCP tool text`).toBeDefined();
      expect(text).toContain(`### ${key} (MCP tool \`${tool!.name}\`)`);
    }
  });

  it('states every limit with its value, and links the contract, the docs and /mcp', async () => {
    const text = await (await get('/llms.txt')).text();
    for (const [name, value] of Object.entries(limits)) expect(text).toContain(`| ${name} | ${value} |`);
    for (const link of ['/openapi.json', '/docs', '/mcp']) expect(text).toContain(`- ${link}:`);
  });

  it('lists every query parameter and every top-level body field of each operation', async () => {
    const text = await (await get('/llms.txt')).text();
    for (const op of capabilityOperations(committed)) {
      const section = text.split(`### ${operationKey(op)}`)[1]!.split('\n### ')[0]!;
      for (const p of op.parameters) expect(section, `${operationKey(op)} ${p.name}`).toContain(`- ${p.name}`);
      if (op.bodySchema) {
        const ref = (op.bodySchema as { $ref?: string }).$ref;
        const schema = ref ? (committed as any).components.schemas[ref.split('/').pop()!] : op.bodySchema;
        for (const field of Object.keys(schema.properties ?? {}))
          expect(section, `${operationKey(op)} ${field}`).toContain(`- ${field}`);
      }
    }
  });
});

describe('GET /', () => {
  it('lists exactly the /v1 operations of the contract, and links /llms.txt and /mcp', async () => {
    const body = (await (await get('/')).json()) as { operations: string[]; llms: string; mcp: string };
    expect([...body.operations].sort()).toEqual(capabilityOperations(committed).map(operationKey).sort());
    expect(body).toMatchObject({ llms: '/llms.txt', mcp: '/mcp' });
  });
});
