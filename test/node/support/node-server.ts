/** Starts src/node.ts (the app under plain Node) on a free 127.0.0.1 port; stop() ends it by its PID. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyDocsAssets } from '../../../scripts/docs-assets.mjs';

export const root = fileURLToPath(new URL('../../..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startNodeServer(): Promise<{ base: string; stop: () => void }> {
  copyDocsAssets();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawn(join(root, 'node_modules/.bin/tsx'), ['src/node.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore',
  });
  const stop = () => {
    if (server.pid && server.exitCode === null) process.kill(server.pid, 'SIGTERM');
  };
  for (let attempt = 0; attempt < 150; attempt++) {
    if (server.exitCode !== null) throw new Error(`the Node server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { base, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error('the Node server did not answer /healthz within 30 s');
}
