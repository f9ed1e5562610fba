// Preloaded into a service process by bench/service-footprint.bench.ts (NODE_OPTIONS=--require):
// writes the main isolate's memory figures as JSON to $FOOTPRINT_PROBE_FILE every second, so the
// bench can tell the V8 heap of the main thread from what the rest of the process holds. Plain
// CommonJS so that it loads into compiled and source processes alike.
'use strict';
const { writeFileSync } = require('node:fs');
const v8 = require('node:v8');
const file = process.env.FOOTPRINT_PROBE_FILE;
if (file) {
  const write = () => {
    const heap = v8.getHeapStatistics();
    const usage = process.memoryUsage();
    writeFileSync(file, JSON.stringify({ ...usage, totalPhysicalSize: heap.total_physical_size, modules: Object.keys(require.cache).length }));
  };
  setInterval(write, 1000).unref();
}
