/**
 * Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands on fd 3,
 * answers and events on fd 4, each message JSON ended by a NUL byte), so tests can fill forms, press keys,
 * run axe-core and take screenshots without a browser-automation dependency. Stop it with close().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

type Message = { id?: number; method?: string; params?: any; result?: any; error?: { message: string } };

export interface Page {
  send(method: string, params?: Record<string, unknown>): Promise<any>;
  /** Evaluates an expression in the page (promises awaited) and returns its JSON value. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Polls an expression until it is truthy; throws with `what` after `timeoutMs`. */
  waitFor(expression: string, what: string, timeoutMs?: number): Promise<void>;
  /** A PNG of a CSS-pixel rectangle of the page (beyond the viewport too). */
  screenshot(clip: { x: number; y: number; width: number; height: number }): Promise<Buffer>;
}

export interface Browser {
  newPage(width: number, height: number): Promise<Page>;
  /** Ends Chromium (by its PID) and removes its profile once it has exited. */
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'cdp-chromium-'));
  const child: ChildProcess = spawn(
    chromiumPath,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      '--font-render-hinting=none',
      `--user-data-dir=${profile}`,
      '--remote-debugging-pipe',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  let buffered = '';
  output.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let end = buffered.indexOf('\0');
    while (end >= 0) {
      const message = JSON.parse(buffered.slice(0, end)) as Message;
      buffered = buffered.slice(end + 1);
      end = buffered.indexOf('\0');
      if (message.id === undefined) continue;
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result);
    }
  });
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<any> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });

  return {
    async newPage(width, height) {
      const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
      const pageSend = (method: string, params: Record<string, unknown> = {}) => send(method, params, sessionId);
      await pageSend('Page.enable');
      await pageSend('Runtime.enable');
      await pageSend('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
      const evaluate = async <T>(expression: string): Promise<T> => {
        const { result, exceptionDetails } = await pageSend('Runtime.evaluate', {
          expression,
          awaitPromise: true,
          returnByValue: true,
        });
        if (exceptionDetails)
          throw new Error(`page error: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
        return result.value as T;
      };
      return {
        send: pageSend,
        evaluate,
        async waitFor(expression, what, timeoutMs = 60_000) {
          const until = Date.now() + timeoutMs;
          while (Date.now() < until) {
            if (await evaluate<boolean>(`Boolean(${expression})`).catch(() => false)) return;
            await new Promise((r) => setTimeout(r, 100));
          }
          throw new Error(`timed out waiting for ${what}`);
        },
        async screenshot(clip) {
          const { data } = await pageSend('Page.captureScreenshot', {
            format: 'png',
            captureBeyondViewport: true,
            clip: { ...clip, scale: 1 },
          });
          return Buffer.from(data, 'base64');
        },
      };
    },
    async close() {
      if (child.pid && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
      // Chromium's helper processes may still be writing the profile for a moment after the browser exits.
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch (error) {
        console.warn(`left the Chromium profile ${profile}: ${error}`);
      }
    },
  };
}
