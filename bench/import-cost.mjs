// CPU time to import modules of the compiled kit in a fresh process, cumulative, in the order given
// (then SES's lockdown when 'ses' was among them): what a child pays before its first check.
//   npm run build && node bench/import-cost.mjs dist/harness/runner/run-tests.js dist/harness/child/grading.js
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const t0 = process.cpuUsage();
const ms = () => {
  const c = process.cpuUsage(t0);
  return ((c.user + c.system) / 1000).toFixed(0);
};
for (const m of process.argv.slice(2)) {
  await import(m.startsWith('.') || m.startsWith('/') || m.startsWith('dist') ? pathToFileURL(resolve(m)).href : m);
  console.log(`${m}: ${ms()} ms`);
}
if (globalThis.lockdown) {
  const { ensureLockdown } = await import(pathToFileURL(resolve('dist/harness/confine/lockdown.js')).href);
  ensureLockdown();
  console.log(`lockdown: ${ms()} ms`);
}
