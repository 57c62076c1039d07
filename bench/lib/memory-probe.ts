/**
 * Preloaded into the Node server by the soak (node --expose-gc --import tsx --import ./bench/lib/memory-probe.ts
 * src/node.ts): answers {type:'memory', gc} on the IPC channel with process.memoryUsage(), after a full GC when
 * asked. Never loaded in production; the server itself is unchanged.
 */
process.on('message', (message: { type?: string; gc?: boolean }) => {
  if (message?.type !== 'memory') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (message.gc && gc) {
    // Two passes: the first can leave objects with finalizers for the second.
    gc();
    gc();
  }
  const usage = process.memoryUsage();
  process.send?.({
    rssBytes: usage.rss,
    heapUsedBytes: usage.heapUsed,
    heapTotalBytes: usage.heapTotal,
    externalBytes: usage.external,
  });
});
// The IPC channel must not keep the process alive once the server closes.
process.channel?.unref();
