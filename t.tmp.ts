import { createApp } from './src/http/app.js';
const app = createApp();
const post = async (path: string, body: unknown) => { const r = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }); return [r.status, await r.json()] as const; };
console.log(JSON.stringify(await post('/v1/plans', { topology: 'stacked', controlPlane: { nodes: 3 }, etcd: { members: 3 } })));
console.log(JSON.stringify((await post('/v1/plans', { topology: 'stacked', controlPlane: { nodes: 3 }, platform: 'hosted' }))[1]));
const [s, b] = await post('/v1/recommendations', { nodeFailures: 1, zoneLoss: true, zones: ['a', 'b'], network: { zoneRttMs: [{ from: 'a', to: 'x', rttMs: 3 }] } });
console.log(s, JSON.stringify(b));
const [s2, b2] = await post('/v1/recommendations', {});
console.log(s2, (b2 as any).summary);
