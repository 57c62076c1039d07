/**
 * /docs really renders, offline: the Node server (src/node.ts) on a free loopback port, Debian's headless
 * Chromium with background networking off (this machine and CI have no internet, so a CDN script would leave
 * an empty shell), and the DOM after Scalar's JS ran must show operation summaries that only the rendered
 * reference contains. Also takes a screenshot into .tmp/ (the README's docs/docs-screenshot.png is one such).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import committed from '../../openapi/openapi.json';
import { listOperations } from '../../src/http/operations.js';
import { root, startNodeServer } from './support/node-server.js';

const run = promisify(execFile);
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';

function chromiumArgs(profile: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--hide-scrollbars',
    '--window-size=1280,860',
    // Lets the page's scripts, the /openapi.json fetch and rendering finish before the dump.
    '--virtual-time-budget=20000',
  ];
}

let server: { base: string; stop: () => void };
let base: string;
let profile: string;

beforeAll(async () => {
  server = await startNodeServer();
  base = server.base;
  profile = mkdtempSync(join(tmpdir(), 'docs-chromium-'));
});

afterAll(() => {
  server?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('/docs in a real browser, offline', () => {
  it('loads Scalar from this server, not a CDN', async () => {
    const html = await (await fetch(`${base}/docs`)).text();
    const script = html.match(/<script src="([^"]+)"/)?.[1];
    expect(script).toBe('/static/scalar/api-reference.standalone.js');
    const bundle = await fetch(`${base}${script}`);
    expect(bundle.status).toBe(200);
    expect(html).not.toMatch(/cdn\.jsdelivr|unpkg/);
    await bundle.arrayBuffer();
  });

  it('renders every operation of the contract (text only the rendered reference contains)', async () => {
    const { stdout } = await run(chromium, [...chromiumArgs(profile), '--dump-dom', `${base}/docs`], {
      maxBuffer: 64 * 1024 * 1024,
      timeout: 90_000,
    });
    const shell = await (await fetch(`${base}/docs`)).text();
    // Scalar breaks long labels with <wbr> and leaves Vue's empty comments; neither is text.
    const dom = stdout.replace(/<wbr>|<!---->/g, '');
    const asText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    for (const op of listOperations(committed)) {
      expect(shell.includes(asText(op.summary)), 'the shell HTML does not carry the summaries itself').toBe(false);
      expect(dom.includes(asText(op.summary)), `${op.operationId}'s summary is in the rendered page`).toBe(true);
    }
  });

  it('takes a screenshot', async () => {
    mkdirSync(join(root, '.tmp'), { recursive: true });
    const target = join(root, '.tmp/docs-screenshot.png');
    rmSync(target, { force: true });
    await run(chromium, [...chromiumArgs(profile), `--screenshot=${target}`, `${base}/docs`], { timeout: 90_000 });
    expect(statSync(target).size).toBeGreaterThan(20_000);
  });
});
