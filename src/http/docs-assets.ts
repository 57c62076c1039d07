/**
 * @module docs-assets
 * Where /docs loads Scalar's browser bundle from. Scalar's default is a CDN, which neither this machine, CI nor
 * an air-gapped user can reach, so the Worker serves the bundle itself: scripts/docs-assets.mjs copies it from
 * node_modules/@scalar/api-reference into public/ (Workers static assets, `[assets]` in wrangler.toml), and
 * src/node.ts serves the same directory under Node.
 */
export const scalarBundlePath = '/static/scalar/api-reference.standalone.js';
