import { describe, expect, it } from 'vitest';
import committed from '../openapi/openapi.json';
import { stableJson } from '../openapi/stable-json.js';
import { get } from './helpers.js';

describe('the OpenAPI document is the contract', () => {
  it('the committed openapi/openapi.json equals what /openapi.json serves (run `npm run openapi:write` after a schema change)', async () => {
    const served = await (await get('/openapi.json')).json();
    expect(stableJson(served)).toBe(stableJson(committed));
  });

  it('is OpenAPI 3.1 and every operation is complete', () => {
    expect(committed.openapi).toBe('3.1.0');
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(committed.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(operation.operationId, where).toBeTruthy();
        expect(operationIds.has(operation.operationId), `${where} duplicate operationId`).toBe(false);
        operationIds.add(operation.operationId);
        expect(operation.summary?.length, `${where} summary`).toBeGreaterThan(0);
        expect(operation.summary.length, `${where} summary under 300 characters`).toBeLessThan(300);
        expect(operation.description, `${where} description`).toBeTruthy();
        const responses = operation.responses as Record<string, any>;
        const success = Object.keys(responses).find((s) => s.startsWith('2'))!;
        // JSON answers, or a picture for the chart operations (GET /charts/*.svg).
        const content = responses[success].content ?? {};
        const answer = content['application/json'] ?? content['image/svg+xml'];
        expect(answer?.example ?? answer?.examples, `${where} response example`).toBeTruthy();
        for (const status of ['405', '500']) {
          expect(responses[status]?.content?.['application/problem+json'], `${where} documents ${status}`).toBeTruthy();
        }
        if (method === 'post') {
          for (const status of ['400', '413', '415']) {
            expect(
              responses[status]?.content?.['application/problem+json'],
              `${where} documents ${status}`,
            ).toBeTruthy();
          }
          const body = operation.requestBody?.content?.['application/json'];
          expect(body?.examples ?? body?.example, `${where} request examples`).toBeTruthy();
        }
      }
    }
  });
});
