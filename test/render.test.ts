/**
 * The pictures: the lane arithmetic worked out by hand, Accept negotiation against RFC 9110's rules and the
 * headers real clients send, and the charts of real answers checked against the JSON answer's own fields
 * (a field the chart does not read, where possible) and the domain reference (what a zone loss stops).
 */
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { capabilitySegments, gaps, memberSegments } from '../src/render/timeline-lanes.js';
import { initialLeader } from '../src/render/simulation-timeline.js';
import { escapeXml, formatDurationUs } from '../src/render/svg.js';
import { acceptQuality } from '../src/http/render/negotiate.js';
import { encodeChartQuery } from '../src/http/render/chart-query.js';
import { chartCacheControl } from '../src/http/routes/charts.js';
import { limits } from '../src/http/limits.js';
import { app, get, postJson, problemOf } from './helpers.js';

const svgAccept = { accept: 'image/svg+xml' };
const threeZones = { topology: 'stacked', controlPlane: { nodes: 3, zones: ['zone-a', 'zone-b', 'zone-c'] } };
const twoZones = { topology: 'stacked', controlPlane: { nodes: 3, zones: ['zone-a', 'zone-b'] } };

/** What any chart must be: an accessible SVG document whose colours come from classes and switch in dark mode. */
function expectAccessibleSvg(svg: string, summary?: string) {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*><title>[^<]+<\/title><desc>/);
  if (summary) expect(svg).toContain(`<desc>${escapeXml(summary)}</desc>`);
  expect(svg).toContain('@media (prefers-color-scheme:dark)');
  // Colours only through classes (so dark mode reaches them), and no script.
  expect(svg).not.toMatch(/(fill|stroke)="#/);
  expect(svg).not.toMatch(/<script|on\w+=/i);
}

describe('lanes, worked out by hand', () => {
  const events = [
    { timeUs: -5, member: 'a', kind: 'became-leader' },
    { timeUs: 100, member: 'a', kind: 'crashed' },
    { timeUs: 150, member: 'b', kind: 'became-pre-candidate' },
    { timeUs: 160, member: 'b', kind: 'became-candidate' },
    { timeUs: 165, member: 'b', kind: 'vote-granted' },
    { timeUs: 170, member: 'b', kind: 'became-leader' },
    { timeUs: 300, member: 'a', kind: 'restarted' },
    { timeUs: 600, member: 'b', kind: 'stepped-down' },
  ];

  it('a member carries its state into the window and changes only on state events', () => {
    expect(memberSegments('a', events, 0, 500)).toEqual([
      { startUs: 0, endUs: 100, state: 'leader' },
      { startUs: 100, endUs: 300, state: 'down' },
      { startUs: 300, endUs: 500, state: 'follower' },
    ]);
    expect(memberSegments('b', events, 0, 500)).toEqual([
      { startUs: 0, endUs: 150, state: 'follower' },
      { startUs: 150, endUs: 160, state: 'pre-candidate' },
      { startUs: 160, endUs: 170, state: 'candidate' },
      { startUs: 170, endUs: 500, state: 'leader' },
    ]);
  });

  it('a capability is down where down, else degraded where degraded, else up', () => {
    const down = [{ startUs: 100, endUs: 200 }];
    const degraded = [
      { startUs: 50, endUs: 150 },
      { startUs: 300, endUs: 400 },
    ];
    expect(capabilitySegments(down, degraded, 0, 350)).toEqual([
      { startUs: 0, endUs: 50, state: 'up' },
      { startUs: 50, endUs: 100, state: 'degraded' },
      { startUs: 100, endUs: 200, state: 'down' },
      { startUs: 200, endUs: 300, state: 'up' },
      { startUs: 300, endUs: 350, state: 'degraded' },
    ]);
  });

  it('etcd writes are down in the gaps between writable intervals', () => {
    const up = [
      { startUs: -200, endUs: 57 },
      { startUs: 1791, endUs: 10_100 },
    ];
    expect(gaps(up, 0, 5000)).toEqual([{ startUs: 57, endUs: 1791 }]);
    expect(gaps([], 0, 10)).toEqual([{ startUs: 0, endUs: 10 }]);
  });

  it('the leader of a steady start is the member whose first entry only a leader makes', () => {
    const members = ['etcd-1', 'etcd-2', 'etcd-3'].map((name) => ({ name, learner: false }));
    const partitioned = [
      { timeUs: 5, member: 'etcd-3', kind: 'partitioned' },
      { timeUs: 900, member: 'etcd-2', kind: 'stepped-down', detail: 'check-quorum' },
    ];
    expect(initialLeader(members, partitioned)).toBe('etcd-2');
    expect(initialLeader(members, [{ timeUs: 1, member: 'etcd-3', kind: 'crashed', detail: 'was the leader' }])).toBe(
      'etcd-3',
    );
  });

  it('durations read as a person would say them', () => {
    expect(formatDurationUs(850)).toBe('850 µs');
    expect(formatDurationUs(850_000)).toBe('850 ms');
    expect(formatDurationUs(1_734_188)).toBe('1.73 s');
    expect(formatDurationUs(17_115_170)).toBe('17.1 s');
  });
});

describe('content negotiation (RFC 9110 §12.5.1)', () => {
  it('ranks media ranges by specificity, then q', () => {
    const img = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8'; // Chromium's <img> Accept
    expect(acceptQuality(img, 'image/svg+xml')).toBe(1);
    expect(acceptQuality(img, 'application/json')).toBe(0.8);
    const page = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'; // a navigation
    expect(acceptQuality(page, 'image/svg+xml')).toBe(0.8);
    expect(acceptQuality(page, 'application/json')).toBe(0.8);
    expect(acceptQuality('image/*;q=0.4, application/json', 'image/svg+xml')).toBe(0.4);
    expect(acceptQuality('text/plain', 'image/svg+xml')).toBe(0);
  });

  it('JSON by default and on a tie; SVG only when preferred', async () => {
    for (const accept of [undefined, '*/*', 'text/html,application/xhtml+xml,*/*;q=0.8', 'application/json']) {
      const response = await postJson('/v1/plans', threeZones, accept ? { accept } : {});
      expect(response.headers.get('content-type'), String(accept)).toMatch(/^application\/json/);
      expect(response.headers.get('vary')).toBe('Accept');
    }
    const img = await postJson('/v1/plans', threeZones, { accept: 'image/webp,image/svg+xml,*/*;q=0.8' });
    expect(img.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(img.headers.get('vary')).toBe('Accept');
  });
});

describe('POST /v1/plans with Accept: image/svg+xml — the placement diagram', () => {
  it('is deterministic and accessible, and describes itself with the summary', async () => {
    const [a, b] = await Promise.all([
      postJson('/v1/plans', twoZones, svgAccept),
      postJson('/v1/plans', twoZones, svgAccept),
    ]);
    const [svgA, svgB] = [await a.text(), await b.text()];
    expect(svgA).toBe(svgB);
    const plan = (await (await postJson('/v1/plans', twoZones)).json()) as { summary: string };
    expectAccessibleSvg(svgA, plan.summary);
    expect(a.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('says which zone loss stops etcd quorum: 3 voters over 2 zones, 2 of them in one', async () => {
    // 3 voters need 2 (etcd FAQ); round-robin puts cp-1 and cp-3 in zone-a, so losing zone-a leaves 1 voter.
    const svg = await (await postJson('/v1/plans', twoZones, svgAccept)).text();
    expect(svg).toContain('✗ losing it stops etcd quorum');
    expect(svg.match(/✓ survives losing this zone/g)).toHaveLength(1);
    for (const host of ['cp-1', 'cp-2', 'cp-3']) expect(svg).toContain(`>${host}</text>`);
    expect(svg.match(/>etcd voter</g)).toHaveLength(3);
    // Any one zone of three can go: 3 voters, one per zone, lose at most one.
    const three = await (await postJson('/v1/plans', threeZones, svgAccept)).text();
    expect(three.match(/✓ survives losing this zone/g)).toHaveLength(3);
    expect(three).toContain('Any one zone can be lost.');
  });

  it('draws learners apart from voters', async () => {
    const body = {
      topology: 'external',
      controlPlane: { nodes: 2, zones: ['zone-a', 'zone-b'] },
      etcd: {
        version: '3.6',
        members: [{ name: 'e1' }, { name: 'e2' }, { name: 'e3' }, { name: 'e4', learner: true }],
      },
    };
    const response = await postJson('/v1/plans', body, svgAccept);
    expect(response.status, await response.clone().text()).toBe(200);
    const svg = await response.text();
    expect(svg.match(/>etcd voter</g)).toHaveLength(3);
    expect(svg.match(/>etcd learner</g)).toHaveLength(1);
  });
});

describe('POST /v1/simulations with Accept: image/svg+xml', () => {
  it('one etcd trial: a lane per member, etcd writes down for as long as the metrics say', async () => {
    const body = { members: 3, seed: 7 };
    const answer = (await (await postJson('/v1/simulations', body)).json()) as {
      trial: { metrics: { unavailableUs: number } };
      summary: string;
    };
    const svg = await (await postJson('/v1/simulations', body, svgAccept)).text();
    expectAccessibleSvg(svg, answer.summary);
    for (const m of ['etcd-1', 'etcd-2', 'etcd-3']) expect(svg).toContain(`>${m}</text>`);
    // The chart reads clusterWritable; the metrics count the same outage separately.
    const seconds = Math.round(answer.trial.metrics.unavailableUs / 1e4) / 100;
    expect(svg).toContain(`>down ${seconds} s</text>`);
    expect(svg).toContain('>leader</text>');
    expect(svg).toContain('seconds after the first fault');
  });

  it('many etcd trials: histogram and CDF with p50/p90/p99 and the trial count', async () => {
    const body = { members: 5, trials: 300, seed: 1 };
    const answer = (await (await postJson('/v1/simulations', body)).json()) as {
      distribution: { newLeader: { p50Us: number; p90Us: number; p99Us: number; histogram: { counts: number[] } } };
      summary: string;
    };
    const svg = await (await postJson('/v1/simulations', body, svgAccept)).text();
    expectAccessibleSvg(svg, answer.summary);
    expect(svg).toContain('Time to a new leader — 300 trials');
    const d = answer.distribution.newLeader;
    for (const [name, us] of [
      ['p50', d.p50Us],
      ['p90', d.p90Us],
      ['p99', d.p99Us],
    ] as const)
      expect(svg).toContain(`>${name} ${formatDurationUs(us)}</text>`);
    // One bar per non-empty bin, in each of the two panels.
    const bars = svg.match(/<rect class="qp-s-follower" x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+"\/>/g) ?? [];
    const nonEmpty = d.histogram.counts.filter((n) => n > 0).length;
    expect(bars.length).toBeGreaterThanOrEqual(nonEmpty);
    expect(svg.match(/<path class="qp-line"/g)).toHaveLength(2);
  });

  it('one control-plane trial: member lanes from the engine and the five capabilities', async () => {
    const body = { kind: 'control-plane', cluster: threeZones, seed: 11 };
    const answer = (await (await postJson('/v1/simulations', body)).json()) as {
      trial: { capabilities: Record<string, { down: { startUs: number; endUs: number }[] }> };
      summary: string;
    };
    const svg = await (await postJson('/v1/simulations', body, svgAccept)).text();
    expectAccessibleSvg(svg, answer.summary);
    for (const label of [
      'etcd writes',
      'API reads via the LB',
      'API writes via the LB',
      'controller-manager leader',
      'scheduler leader',
    ])
      expect(svg).toContain(`>${label}</text>`);
    for (const m of ['cp-1', 'cp-2', 'cp-3']) expect(svg).toContain(`>${m}</text>`);
    // The default fault crashes the controller-manager's node: its leadership is down for the JSON's interval.
    const [outage] = answer.trial.capabilities.controllerManagerLeader!.down;
    expect(outage).toBeDefined();
    expect(svg).toContain(`down ${formatDurationUs(outage!.endUs - outage!.startUs)}`);
  });

  it('many control-plane trials compared: a row per capability and topology', async () => {
    const body = {
      kind: 'control-plane',
      cluster: threeZones,
      trials: 20,
      seed: 3,
      controlPlaneOptions: { compareTopologies: true },
    };
    const svg = await (await postJson('/v1/simulations', body, svgAccept)).text();
    expectAccessibleSvg(svg);
    expect(svg).toContain('>etcd writes (stacked)</text>');
    expect(svg).toContain('>etcd writes (external)</text>');
    expect(svg).toContain('over 20 seeded trials');
  });

  it('a 400 stays problem+json whatever the Accept header', async () => {
    const response = await postJson('/v1/simulations', { members: 99 }, svgAccept);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('GET /charts/*.svg — the request in the URL', () => {
  it('gives the bytes POST gives, with a strong ETag and long cache headers; 304 on revalidation', async () => {
    const q = await encodeChartQuery(twoZones);
    const response = await get(`/charts/plan.svg?q=${q}`);
    expect(response.status).toBe(200);
    const svg = await response.text();
    expect(svg).toBe(await (await postJson('/v1/plans', twoZones, svgAccept)).text());
    expect(response.headers.get('cache-control')).toBe(chartCacheControl);
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect((await get(`/charts/plan.svg?q=${q}`, { 'if-none-match': etag })).status).toBe(304);

    const sim = { members: 3, seed: 7 };
    const simSvg = await (await get(`/charts/simulation.svg?q=${await encodeChartQuery(sim)}`)).text();
    expect(simSvg).toBe(await (await postJson('/v1/simulations', sim, svgAccept)).text());
  });

  it('q that is not the encoded body is a 400 at `q`', async () => {
    for (const q of ['not base64!', 'AAAA']) {
      const response = await get(`/charts/plan.svg?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(400);
      expect((await problemOf(response)).errors?.[0]).toMatchObject({ pointer: 'q', location: 'query' });
    }
  });

  it('the decoded body is checked as the POST checks it; errors point at q and say where inside it', async () => {
    const q = await encodeChartQuery({ ...threeZones, controlPlane: { nodes: 0 } });
    const problem = await problemOf(await get(`/charts/plan.svg?q=${q}`));
    expect(problem.status).toBe(400);
    expect(problem.errors?.[0]).toMatchObject({ pointer: 'q', location: 'query' });
    expect(problem.errors?.[0]?.detail).toMatch(/^\/controlPlane\/nodes: /);
    // A check the POST handler makes after the schema (a fault naming no host) lands in q too.
    const sim = {
      kind: 'control-plane',
      cluster: threeZones,
      scenario: { faults: [{ type: 'crash', target: { kind: 'node', name: 'nope' }, at: { atMs: 0 } }] },
    };
    const simProblem = await problemOf(await get(`/charts/simulation.svg?q=${await encodeChartQuery(sim)}`));
    expect(simProblem.errors?.[0]).toMatchObject({ pointer: 'q', location: 'query' });
    expect(simProblem.errors?.[0]?.detail).toMatch(/^\/scenario\/faults\/0\/target\/name: No host "nope"/);
  });

  it('q beyond maxChartQueryChars, or inflating beyond maxBodyBytes, is a 400 naming the limit', async () => {
    const long = await get(`/charts/plan.svg?q=${'A'.repeat(limits.maxChartQueryChars + 1)}`);
    expect(long.status).toBe(400);
    const longDetail = (await problemOf(long)).errors?.[0]?.detail ?? '';
    expect(longDetail).toContain('maxChartQueryChars');
    expect(longDetail).toContain(String(limits.maxChartQueryChars));
    // A few hundred characters that inflate to 1 MiB of spaces: refused while inflating.
    const bomb = await encodeChartQuery(' '.repeat(1 << 20));
    expect(bomb.length).toBeLessThan(limits.maxChartQueryChars);
    const refused = await get(`/charts/plan.svg?q=${bomb}`);
    expect(refused.status).toBe(400);
    expect((await problemOf(refused)).errors?.[0]?.detail).toContain(`maxBodyBytes = ${limits.maxBodyBytes}`);
  });
});

describe('MCP: the plan and simulate tools return the chart with their text', () => {
  it('image content is the SVG POST gives, and a URL for chat clients', async () => {
    const client = new Client(
      { name: 'render-test', version: '1.0.0' },
      { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL('http://local/mcp'), {
        fetch: (url, init) => Promise.resolve(app.request(new Request(url, init))),
      }),
    );
    try {
      const result = (await client.callTool({ name: 'plan', arguments: twoZones })) as CallToolResult;
      const image = result.content.find((c) => c.type === 'image') as { data: string; mimeType: string };
      expect(image.mimeType).toBe('image/svg+xml');
      const bytes = Uint8Array.from(atob(image.data), (ch) => ch.charCodeAt(0));
      expect(new TextDecoder().decode(bytes)).toBe(await (await postJson('/v1/plans', twoZones, svgAccept)).text());
      const texts = result.content.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text);
      expect(texts.some((t) => t.includes('/charts/plan.svg?q='))).toBe(true);

      const quorum = (await client.callTool({ name: 'quorum', arguments: { voters: 3 } })) as CallToolResult;
      expect(quorum.content.some((c) => c.type === 'image')).toBe(false);
    } finally {
      await client.close();
    }
  });
});
