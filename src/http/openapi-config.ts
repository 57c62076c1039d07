/**
 * @module openapi-config
 * The document-level parts of the OpenAPI description: everything that is not generated from a route.
 */
import { limits } from './limits.js';

export const apiVersion = '0.1.0';

const limitsTable = [
  '| limit | value | applies to |',
  '| --- | --- | --- |',
  `| maxBodyBytes | ${limits.maxBodyBytes} | every request body (413 beyond it) |`,
  `| maxQuorumVoters | ${limits.maxQuorumVoters} | \`voters\` of GET /v1/quorum |`,
  `| maxQuorumLearners | ${limits.maxQuorumLearners} | \`learners\` and \`maxLearners\` of GET /v1/quorum |`,
  `| maxQuorumTableSize | ${limits.maxQuorumTableSize} | \`max\` of GET /v1/quorum/table |`,
].join('\n');

export const openApiConfig = {
  openapi: '3.1.0',
  info: {
    title: 'Quorum Planner API',
    version: apiVersion,
    description:
      'Plans Kubernetes control planes and their etcd clusters: quorum and tolerable failures, stacked vs external etcd, ' +
      'ready-to-use configuration, and simulated failover timelines from a deterministic election engine.\n\n' +
      'Every error is RFC 9457 `application/problem+json`; validation errors list each offending field as a JSON pointer ' +
      '(or a query parameter name). Answers are deterministic: the same request gives byte-identical bytes.\n\n' +
      '## Limits\n\n' +
      limitsTable,
    license: { name: 'MIT', identifier: 'MIT' },
  },
  servers: [{ url: 'http://127.0.0.1:8787', description: 'Local `wrangler dev`' }],
  tags: [
    { name: 'Quorum', description: 'Majority arithmetic for etcd voters; learners excluded.' },
    { name: 'Service', description: 'Health and metadata.' },
  ],
};
