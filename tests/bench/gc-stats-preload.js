// Preloaded into the API (and the worker) to see its garbage collection during a bench run:
//   BENCH_APP_BENCH_GC_DIR=<existing dir> BENCH_APP_NODE_OPTIONS="--require <repo>/tests/bench/gc-stats-preload.js" npm run bench -- --images-only
// Every 2 s each process appends to <dir>/gc-<role>-<pid>.txt its CPU time so far, its external (off-heap) memory,
// its heap in use and, per kind (major = mark-compact of the whole heap, minor = scavenge of the young generation,
// incremental = marking steps), the collections so far and their pauses. Comparing two lines across a phase gives
// its collections; the lines' times are the bench's log times.
const { PerformanceObserver, constants } = require('node:perf_hooks');
const { appendFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_GC_DIR;
if (dir) {
  const role = process.argv.some((a) => a.includes('worker')) ? 'worker' : 'api';
  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
  };
  const totals = {};
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = kinds[entry.detail?.kind] ?? 'other';
      totals[kind] ??= { count: 0, ms: 0 };
      totals[kind].count++;
      totals[kind].ms += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const file = join(dir, `gc-${role}-${process.pid}.txt`);
  setInterval(() => {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const gc = Object.entries(totals)
      .map(([kind, t]) => `${kind} ${t.count} (${t.ms.toFixed(0)} ms)`)
      .join(', ');
    appendFileSync(
      file,
      `${new Date().toISOString().slice(11, 19)} cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms · external ${(memory.external / 1e6).toFixed(0)} MB · heap ${(memory.heapUsed / 1e6).toFixed(0)} MB · ${gc}\n`,
    );
  }, 2000).unref();
}
