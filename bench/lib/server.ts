/**
 * @module bench/lib/server
 * Starts the unmodified Node server (src/node.ts) on a free 127.0.0.1 port as a child process, and stops it
 * by its PID. With `memoryProbe`, a preloaded module (bench/lib/memory-probe.ts) answers memory questions over
 * the IPC channel after a forced GC, so the soak can read the server's heap without changing the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningServer {
  pid: number;
  port: number;
  baseUrl: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface MemorySample {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
}

/** A port the kernel just handed out on 127.0.0.1 (closed again before the server binds it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Servers this process started and has not stopped: stopped by PID if the process exits first. */
const running = new Set<RunningServer>();
process.once('exit', () => {
  for (const server of running) {
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** Stops every server this process started (for a test's afterAll, in case a test timed out mid-run). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
}

export async function startServer(options: { memoryProbe?: boolean } = {}): Promise<RunningServer> {
  const port = await freePort();
  const args = [
    ...(options.memoryProbe ? ['--expose-gc'] : []),
    '--import',
    'tsx',
    ...(options.memoryProbe ? ['--import', './bench/lib/memory-probe.ts'] : []),
    'src/node.ts',
  ];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: options.memoryProbe ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    running.delete(server);
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid!, 'SIGTERM');
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  const server: RunningServer = { pid: child.pid!, port, baseUrl, child, stop };
  running.add(server);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${output}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /healthz within 30 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return server;
}

/** The server's memory after a full GC (needs memoryProbe). */
export function serverMemory(server: RunningServer, gc = true): Promise<MemorySample> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no memory answer from the server within 10 s')), 10_000);
    server.child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as MemorySample);
    });
    server.child.send({ type: 'memory', gc });
  });
}
