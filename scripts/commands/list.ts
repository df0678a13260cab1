/** `heapgrade list`: the built-in allocators and the checks. */
import type { CommandModule } from 'yargs';
import { listBuiltins } from '../../harness/loader/load.ts';
import { CHECKS } from '../../suites/correctness/index.ts';

export const listCommand: CommandModule<object, { json: boolean }> = {
  command: 'list',
  describe: 'list the built-in allocators (usable as ref:NAME) and the correctness checks',
  builder: (y) => y.option('json', { type: 'boolean', default: false }),
  handler: async (args) => {
    const builtins = await listBuiltins();
    if (args.json) {
      const checks = CHECKS.map((c) => ({ name: c.name, points: c.points, description: c.description, targets: c.targets }));
      process.stdout.write(`${JSON.stringify({ allocators: builtins, checks }, null, 2)}\n`);
      return;
    }
    const w = Math.max(...builtins.map((b) => b.name.length)) + 4;
    const lines = ['Built-in allocators (use as ref:NAME wherever a submission is expected):'];
    for (const b of builtins) lines.push(`  ${`ref:${b.name}`.padEnd(w + 4)} ${b.language === 'c' ? '[C]  ' : '[TS] '} ${b.description}`);
    lines.push('', 'Correctness checks:');
    const cw = Math.max(...CHECKS.map((c) => c.name.length));
    for (const c of CHECKS) lines.push(`  ${c.name.padEnd(cw)} ${String(c.points).padStart(3)} pts  ${c.description}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
