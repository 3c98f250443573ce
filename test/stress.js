/**
 * `npm run test:stress`: the whole suite three times in a row (`--runs N` for another count) while
 * two busy-loop processes hold the machine's cores, as on a loaded CI machine. Prints one line per
 * run and a closing "N passed, M failed"; exits non-zero when any run failed. Not part of `npm test`.
 */
const { spawn } = require('node:child_process');

const at = process.argv.indexOf('--runs');
const runs = at > 0 ? Number(process.argv[at + 1]) : 3;
const busy = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const stopBusy = () => busy.forEach((child) => child.kill('SIGKILL'));
process.on('exit', stopBusy);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

function jest() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [require.resolve('jest/bin/jest'), '--silent'], { stdio: 'inherit' });
    child.once('exit', (code) => resolve(code === 0));
  });
}

(async () => {
  let passed = 0;
  for (let run = 1; run <= runs; run++) {
    const started = Date.now();
    const ok = await jest();
    if (ok) passed++;
    console.log(
      `stress run ${run} of ${runs}: ${ok ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s, beside 2 busy loops`,
    );
  }
  console.log(`${passed} passed, ${runs - passed} failed`);
  process.exit(passed === runs ? 0 : 1);
})();
