/**
 * The planner page at / in real headless Chromium, offline: the Node server (src/node.ts) on a loopback port,
 * Chromium driven over the DevTools protocol. A keyboard user plans from the form, the URL then restores the
 * design, a simulation runs from the form, and axe-core (the page's own copy of node_modules/axe-core) finds no
 * serious or critical violation. Screenshots of the page and of each chart go to .tmp/screenshots/ (and to
 * docs/ with PLANNER_SCREENSHOTS=docs, which is how the README's pictures are made).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeChartQuery } from '../../src/http/render/chart-query.js';
import { plannerAssetPaths } from '../../src/http/planner-page.js';
import { launchChromium, type Browser, type Page } from './support/chromium-cdp.js';
import { root, startNodeServer } from './support/node-server.js';

let server: { base: string; stop: () => void };
let browser: Browser;
let page: Page;
const shots = join(root, '.tmp/screenshots');
const toDocs = process.env.PLANNER_SCREENSHOTS === 'docs';

beforeAll(async () => {
  server = await startNodeServer();
  browser = await launchChromium();
  page = await browser.newPage(1280, 900);
  mkdirSync(shots, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

async function open(path: string) {
  await page.send('Page.navigate', { url: `${server.base}${path}` });
  await page.waitFor(`document.readyState === 'complete' && document.querySelector('#proposal')`, 'the form');
}

async function press(key: 'Tab' | 'Enter') {
  const code = key === 'Tab' ? 9 : 13;
  const text = key === 'Enter' ? { text: '\r' } : {};
  await page.send('Input.dispatchKeyEvent', { type: 'keyDown', key, code: key, windowsVirtualKeyCode: code, ...text });
  await page.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code: key, windowsVirtualKeyCode: code });
}

/** Saves a PNG of an element (or the whole page) under .tmp/screenshots/ and, when asked, docs/. */
async function shoot(selector: string | null, name: string) {
  const rect = await page.evaluate<{ x: number; y: number; width: number; height: number }>(
    selector
      ? `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect();
           return { x: r.x + scrollX, y: r.y + scrollY, width: Math.ceil(r.width), height: Math.ceil(r.height) }; })()`
      : `({ x: 0, y: 0, width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight })`,
  );
  const png = await page.screenshot(rect);
  writeFileSync(join(shots, name), png);
  if (toDocs) writeFileSync(join(root, 'docs', name), png);
  return png;
}

const twoZones = { topology: 'stacked', controlPlane: { nodes: 3, zones: ['zone-a', 'zone-b'] } };

describe('the planner page at / in headless Chromium', () => {
  it('is served to browsers, with its own script and style sheet within 60 KiB gzip; API clients get JSON', async () => {
    const html = await fetch(`${server.base}/`, { headers: { accept: 'text/html,*/*;q=0.8' } });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await html.text();
    expect(text).toContain(`src="${plannerAssetPaths.script}"`);
    expect(text).not.toMatch(/https?:\/\//); // nothing from another origin: works offline
    let gzipBytes = 0;
    for (const path of Object.values(plannerAssetPaths)) {
      const asset = await fetch(`${server.base}${path}`);
      expect(asset.status, path).toBe(200);
      gzipBytes += gzipSync(Buffer.from(await asset.arrayBuffer()), { level: 9 }).length;
    }
    expect(gzipBytes).toBeLessThanOrEqual(60 * 1024);
    const api = await fetch(`${server.base}/`);
    expect(api.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('plans by keyboard alone: Tab to Plan, Enter; summary, findings, placement, comparison, configuration', async () => {
    await open('/');
    await page.evaluate(`(() => {
      const f = document.querySelector('#proposal');
      f.elements.zones.value = 'zone-a, zone-b';
    })()`);
    let onPlan = false;
    for (let i = 0; i < 40 && !onPlan; i++) {
      await press('Tab');
      onPlan = await page.evaluate<boolean>(`document.activeElement?.value === 'plan'`);
    }
    expect(onPlan, 'Tab reaches the Plan button').toBe(true);
    await press('Enter');
    await page.waitFor(`document.querySelector('#config:not([hidden]) details')`, 'the plan');
    const expected = (await (
      await fetch(`${server.base}/v1/plans`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...twoZones,
          etcd: { version: '3.5', heartbeatIntervalMs: 100, electionTimeoutMs: 1000 },
          network: { intraZoneRttMs: 0.5, interZoneRttMs: 2 },
        }),
      })
    ).json()) as { summary: string; findings: unknown[] };
    const shown = await page.evaluate<{
      summary: string;
      findings: number;
      svgTitle: string;
      columns: string[];
      copies: number;
      url: string;
    }>(`({
      summary: document.querySelector('#summary .content').textContent,
      findings: document.querySelectorAll('#findings li').length,
      svgTitle: document.querySelector('#placement svg title').textContent,
      columns: [...document.querySelectorAll('#comparison thead th')].map((th) => th.textContent),
      copies: document.querySelectorAll('#config button.copy').length,
      url: location.search,
    })`);
    expect(shown.summary).toBe(expected.summary);
    expect(shown.findings).toBe(expected.findings.length);
    expect(shown.svgTitle).toBe('Placement: stacked control plane over 2 zones');
    expect(shown.columns).toEqual(['', 'stacked (proposed)', 'external']);
    // 3 etcd members, 3 apiservers, the controller-manager, the scheduler and kubeadm's file.
    expect(shown.copies).toBe(9);
    expect(new URLSearchParams(shown.url).get('z')).toBe('zone-a, zone-b');
    await shoot(null, 'planner-page.png');
    await shoot('#placement figure', 'chart-placement.png');
  });

  it('the URL restores the design and plans it on load', async () => {
    await open('/?t=external&n=2&z=zone-a%2Czone-b%2Czone-c&m=5&v=3.6');
    await page.waitFor(`document.querySelector('#placement:not([hidden]) svg')`, 'the plan from the URL');
    const state = await page.evaluate<{ members: string; topology: string; title: string }>(`({
      members: document.querySelector('#proposal').elements.members.value,
      topology: document.querySelector('#proposal').elements.topology.value,
      title: document.querySelector('#placement svg title').textContent,
    })`);
    expect(state).toEqual({
      members: '5',
      topology: 'external',
      title: 'Placement: external control plane over 3 zones',
    });
  });

  it('simulates from the form: the failover timeline and the distributions, stacked vs external', async () => {
    await open('/?t=stacked&n=3&z=zone-a%2Czone-b%2Czone-c&f=zone&tr=50');
    await page.waitFor(`document.querySelector('#placement:not([hidden]) svg')`, 'the plan');
    await page.evaluate(`document.querySelector('#proposal button[value=simulate]').click()`);
    await page.waitFor(`document.querySelectorAll('#simulation figure svg').length === 2`, 'both charts');
    const titles = await page.evaluate<string[]>(
      `[...document.querySelectorAll('#simulation svg title')].map((t) => t.textContent)`,
    );
    expect(titles).toEqual([
      'Control-plane failover (stacked), one trial',
      'Control-plane failover gaps (stacked vs external)',
    ]);
    await shoot('#simulation figure:nth-of-type(1)', 'chart-failover-timeline.png');
    await shoot('#simulation figure:nth-of-type(2)', 'chart-gaps.png');
  });

  it('axe-core finds no serious or critical violation, in light and dark', async () => {
    const axe = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
    for (const scheme of ['light', 'dark']) {
      await page.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: scheme }] });
      await page.evaluate(`(() => { for (const d of document.querySelectorAll('details')) d.open = true; })()`);
      if (!(await page.evaluate<boolean>('typeof axe !== "undefined"'))) await page.evaluate(axe);
      const violations = await page.evaluate<{ id: string; impact: string; help: string; nodes: unknown[] }[]>(
        `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target) })))`,
      );
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious, `${scheme}: ${JSON.stringify(serious)}`).toEqual([]);
    }
    await shoot('#simulation figure:nth-of-type(1)', 'chart-failover-timeline-dark.png');
    await page.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: 'light' }] });
  });

  it('an etcd distribution chart opens from its GET URL (as in an <img> or a chat message)', async () => {
    const q = await encodeChartQuery({ members: 5, trials: 1000, seed: 1 });
    await page.send('Page.navigate', { url: `${server.base}/charts/simulation.svg?q=${q}` });
    await page.waitFor(`document.querySelector('svg title')`, 'the SVG');
    expect(await page.evaluate<string>(`document.querySelector('svg title').textContent`)).toBe(
      'etcd failover over 1000 seeded trials',
    );
    await shoot('svg', 'chart-distribution.png');
  });
});
