// Preloaded into the API and the worker when BENCH_PROFILE=<dir> is set. The first SIGWINCH (a signal neither Node nor Nest's shutdown hooks act on) starts a CPU
// profile, the second writes it to <dir>/<role>-<pid>-<n>.cpuprofile (Chrome DevTools, speedscope), so that the
// profile covers one phase of the benchmark only. (Node's --cpu-prof writes only on a normal exit, and the
// apps end by re-raising SIGTERM.)
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_PROFILE;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let written = 0;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')),
      );
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return console.error('cpu profile failed', error);
      const role = process.argv.some((a) => a.includes('worker')) ? 'worker' : 'api';
      writeFileSync(
        join(dir, `${role}-${process.pid}-${++written}.cpuprofile`),
        JSON.stringify(result.profile),
      );
    });
  });
}
