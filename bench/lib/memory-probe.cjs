// Preloaded into a service process by bench/service-footprint.bench.ts (NODE_OPTIONS=--require):
// every second, writes the isolate's memory figures as JSON to $FOOTPRINT_PROBE_FILE (the main
// thread) or $FOOTPRINT_PROBE_FILE.thread<id> (a worker thread: NODE_OPTIONS preloads there too,
// e.g. into Temporal's workflow thread), so the bench can tell the V8 heaps from what the rest of
// the process holds. Plain CommonJS so that it loads into compiled and source processes alike.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload: NODE_OPTIONS=--require cannot load ESM or TypeScript */
const { writeFileSync } = require('node:fs');
const { isMainThread, threadId } = require('node:worker_threads');
const base = process.env.FOOTPRINT_PROBE_FILE;
if (base) {
  const file = isMainThread ? base : `${base}.thread${threadId}`;
  const write = () => {
    const usage = process.memoryUsage();
    writeFileSync(file, JSON.stringify({ heapTotal: usage.heapTotal, heapUsed: usage.heapUsed, external: usage.external, modules: Object.keys(require.cache).length }));
  };
  setInterval(write, 1000).unref();
}
