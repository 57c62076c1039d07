/**
 * The same app under plain Node: `npm run start:node` (PORT, default 8788; HOST, default 127.0.0.1;
 * WORKERS, default the number of cores).
 *
 * public/ (Scalar's bundle for /docs, see src/http/docs-assets.ts) is served here as Workers static assets
 * are on the edge: a file that exists wins, everything else goes to the app.
 *
 * Two things the edge does for us and plain Node does not:
 * - Isolation of slow requests. Every POST (plans, simulations, MCP calls: up to about a second of CPU each)
 *   runs in a pool of worker threads, each with its own copy of the app; the main thread keeps the sockets,
 *   GETs (/healthz, quorum arithmetic, documents) and static files, so /healthz answers while simulations run.
 * - Request bodies. The main thread reads each body itself, at most maxBodyBytes of it, before the app sees
 *   it. An oversized body is still read to its end when that is at most drainLimitBytes, so the 413 can keep
 *   the connection alive; beyond that the 413 says `Connection: close` and the connection is closed, rather
 *   than being reset under the client's next request.
 *
 * This file is the worker threads' entry too (isMainThread is false there). The Worker build never imports it.
 */
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createApp } from './http/app.js';
import { limits } from './http/limits.js';
import { nodeTuningEnv } from './node-tunings.js';

/** A request as passed to a worker thread: everything the app reads, the body already in memory. */
type Job = { id: number; method: string; url: string; headers: [string, string][]; body: ArrayBuffer | null };
/** The worker's answer, its body as bytes (moved to the main thread, not copied). */
type Reply = { id: number; status: number; headers: [string, string][]; body: ArrayBuffer };

/**
 * Heap ceilings of each worker thread (BENCHMARKS.md, Memory): after a full GC a thread holds about 23 MiB
 * whatever it has served, and V8 grew one to under 90 MiB under load; the old generation's ceiling stops a
 * runaway request there (the thread is replaced, the request answered 500), the young generation's keeps the
 * heap V8 sizes for throughput (and the resident set with it) smaller.
 */
const threadHeapLimits = { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 16 };

/** An oversized body up to this size is read and dropped, so the connection survives its 413. */
const drainLimitBytes = 4 * 1024 * 1024;

/** Heap figures of one thread, after a full collection when asked (for the memory measurements). */
type HeapReport = { type: 'heap'; usedBytes: number; totalBytes: number };

function heapReport(collect: boolean): HeapReport {
  if (collect) {
    // --expose-gc is not needed: the flag can be set at run time and gc() taken from a fresh context.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    gc();
  }
  const { used_heap_size, total_heap_size } = getHeapStatistics();
  return { type: 'heap', usedBytes: used_heap_size, totalBytes: total_heap_size };
}

/** Worker thread: runs requests through its own app, one at a time as the pool hands them over. */
function serveJobs() {
  const app = createApp();
  parentPort!.postMessage({ type: 'ready' });
  parentPort!.on('message', async (job: Job | { type: 'heap'; collect: boolean }) => {
    if ('type' in job) {
      parentPort!.postMessage(heapReport(job.collect));
      return;
    }
    const init: RequestInit = { method: job.method, headers: job.headers };
    if (job.body) init.body = job.body;
    const response = await app.fetch(new Request(job.url, init));
    const body = await response.arrayBuffer();
    const reply: Reply = { id: job.id, status: response.status, headers: [...response.headers], body };
    parentPort!.postMessage(reply, [body]);
  });
}

/**
 * A thread running this file. Run from TypeScript (npm run start:node uses tsx), the thread registers tsx's
 * loader itself first: Node 20 does not carry `--import` loader hooks into worker threads.
 */
function startThread(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL(self), { resourceLimits: threadHeapLimits });
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const bootstrap = `import(${api}).then((tsx) => { tsx.register(); return import(${JSON.stringify(self)}); })`;
  // Without the parent's execArgv: tsx's CLI puts its own hooks there, and registering them twice breaks CJS resolution.
  return new Worker(bootstrap, { eval: true, execArgv: [], resourceLimits: threadHeapLimits });
}

type Pending = { job: Job; resolve: (reply: Reply) => void; reject: (error: Error) => void };

/** A fixed set of worker threads; a request waits in a queue while every thread is busy. */
class WorkerPool {
  private idle: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<Worker, Pending>();
  private stopping = false;
  private failedStarts = 0;
  private readonly heapWaiters = new Map<Worker, (report: HeapReport) => void>();
  private readyCount = 0;
  private whenReady: () => void = () => undefined;
  /** Resolves once every thread has loaded the app: the server listens only then. */
  readonly ready = new Promise<void>((resolve) => {
    this.whenReady = resolve;
  });

  constructor(private readonly size: number) {
    for (let i = 0; i < size; i++) this.spawn();
  }

  run(job: Omit<Job, 'id'>): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...job, id: 0 }, resolve, reject });
      this.next();
    });
  }

  /** Each thread's heap (after a full collection when `collect`); a busy thread answers after its request. */
  heaps(collect: boolean): Promise<HeapReport[]> {
    const workers = [...this.idle, ...this.running.keys()];
    return Promise.all(
      workers.map(
        (worker) =>
          new Promise<HeapReport>((resolve) => {
            this.heapWaiters.set(worker, (report) => {
              this.heapWaiters.delete(worker);
              resolve(report);
            });
            worker.postMessage({ type: 'heap', collect });
          }),
      ),
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.idle, ...this.running.keys()].map((worker) => worker.terminate()));
  }

  private spawn() {
    // A thread that cannot even start (a broken install) must not be replaced in a tight loop.
    if (this.failedStarts > 3) throw new Error('worker threads keep failing to start; see the errors above');
    const worker = startThread();
    worker.on('message', (reply: Reply | HeapReport | { type: 'ready' }) => {
      if ('type' in reply) {
        if (reply.type === 'ready') this.readyCount++;
        else this.heapWaiters.get(worker)?.(reply);
        if (this.readyCount === this.size) this.whenReady();
        return;
      }
      const pending = this.running.get(worker);
      this.running.delete(worker);
      this.idle.push(worker);
      pending?.resolve(reply);
      this.next();
    });
    worker.on('online', () => {
      this.failedStarts = 0;
    });
    worker.on('error', (error) => {
      console.error('worker thread failed:', error);
      this.running.get(worker)?.reject(error);
    });
    worker.on('exit', () => {
      // A thread that dies (out of memory, a crash) is replaced; its request has been answered with a 500.
      this.running.get(worker)?.reject(new Error('the worker thread exited'));
      this.running.delete(worker);
      this.idle = this.idle.filter((w) => w !== worker);
      this.failedStarts++;
      if (!this.stopping) this.spawn();
    });
    this.idle.push(worker);
    this.next();
  }

  private next() {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const pending = this.queue.shift()!;
      this.running.set(worker, pending);
      worker.postMessage(pending.job, pending.job.body ? [pending.job.body] : []);
    }
  }
}

/** Reads a body, keeping at most `keep` bytes and reading (and dropping) at most `drain` bytes in all. */
async function readBody(request: Request, keep: number, drain: number) {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let read = 0;
  const reader = request.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: concat(chunks, kept), read, complete: true };
    read += value.byteLength;
    if (kept + value.byteLength <= keep + 1) {
      chunks.push(value);
      kept += value.byteLength;
    }
    if (read > drain) {
      await reader.cancel().catch(() => undefined);
      return { bytes: concat(chunks, kept), read, complete: false };
    }
  }
}

function concat(chunks: Uint8Array[], length: number): ArrayBuffer {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out.buffer;
}

/**
 * An oversized request as the app will see it: its real size in Content-Length, which is what the app's body
 * limit reads to answer 413 with its problem details, and a stand-in body one byte over the limit.
 */
function oversized(request: Request, bytes: number): Request {
  const headers = new Headers(request.headers);
  headers.delete('transfer-encoding');
  headers.set('content-length', String(bytes));
  return new Request(request.url, { method: request.method, headers, body: new Uint8Array(limits.maxBodyBytes + 1) });
}

function closing(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set('Connection', 'close');
  return new Response(response.body, { status: response.status, headers });
}

/**
 * Started by a measuring parent with an IPC channel (bench, soak: never in production), the server answers
 * {type: 'thread-memory', collect} with the resident set and every thread's heap, main thread first.
 */
function answerMemoryQuestions(pool: WorkerPool) {
  if (!process.send) return;
  process.on('message', async (message: { type?: string; collect?: boolean }) => {
    if (message?.type !== 'thread-memory') return;
    const collect = Boolean(message.collect);
    const threads = [heapReport(collect), ...(await pool.heaps(collect))];
    process.send?.({ type: 'thread-memory', rssBytes: process.memoryUsage().rss, threads });
  });
  process.channel?.unref();
}

async function startServer() {
  const port = Number(process.env.PORT ?? 8788);
  const hostname = process.env.HOST ?? '127.0.0.1';
  const threads = Math.max(1, Number(process.env.WORKERS ?? availableParallelism()));
  // serveStatic takes a root relative to the working directory; resolve public/ next to this file's project.
  const publicDir = relative(process.cwd(), fileURLToPath(new URL('../public', import.meta.url))) || '.';

  const app = createApp();
  const pool = new WorkerPool(threads);
  const server = new Hono();
  server.use('/static/*', serveStatic({ root: publicDir }));
  // Tuning jobs live in this thread's memory and run on their own step pool (src/node-tunings.ts), so every
  // /v1/tunings request is answered here, not by a request thread that would not know the job.
  const tunings = nodeTuningEnv();
  server.all('*', async (c) => {
    const request = c.req.raw;
    if (new URL(request.url).pathname.startsWith('/v1/tunings'))
      return app.fetch(request, { ...(c.env as object), ...tunings });
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS' || !request.body)
      return app.fetch(request, c.env);
    // Oversized by its Content-Length: the app answers 413 from the header; the body is drained or refused.
    const declared = Number(request.headers.get('content-length') ?? Number.NaN);
    const { bytes, complete, read } = await readBody(request, limits.maxBodyBytes, drainLimitBytes);
    if (!complete || declared > limits.maxBodyBytes || read > limits.maxBodyBytes) {
      const answer = await app.fetch(oversized(request, Math.max(read, declared || 0)), c.env);
      return complete ? answer : closing(answer);
    }
    const reply = await pool.run({
      method: request.method,
      url: request.url,
      headers: [...request.headers],
      body: bytes,
    });
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  });
  server.onError((error, c) => {
    console.error('request failed outside the app:', error);
    const detail = 'Something went wrong on our side (the request could not be run). Try again.';
    const problem = { type: '/problems/internal', title: 'Internal server error', status: 500, detail };
    return c.body(JSON.stringify(problem), 500, { 'Content-Type': 'application/problem+json' });
  });

  // Listen only once every thread can answer: a client that sees /healthz can send POSTs at once.
  await pool.ready;
  const listener = serve({ fetch: server.fetch, port, hostname }, (info) => {
    console.log(
      `Quorum Planner API on http://${hostname}:${info.port} (docs at /docs, MCP at /mcp; ${threads} worker threads)`,
    );
  });
  // Node closes an idle keep-alive connection after 5 s by default, racing a client that reuses it at that
  // moment (the black-box fuzz saw one such reset on a loaded machine). Keeping it longer than clients do
  // (undici: 4 s, browsers: about 60 s or less) lets the client close first.
  if ('keepAliveTimeout' in listener) {
    listener.keepAliveTimeout = 65_000;
    listener.headersTimeout = 66_000;
  }
  answerMemoryQuestions(pool);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => listener.close(() => pool.stop().then(() => process.exit(0))));
  }
}

// Last, after the classes and constants above are initialized.
if (isMainThread) void startServer();
else serveJobs();
