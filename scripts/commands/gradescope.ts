/** `heapgrade gradescope` (grade /autograder/submission into results.json) and `heapgrade gradescope pack` (the autograder zip). */
import { writeFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { autograderEntries } from '../../harness/platform/gradescope-pack.ts';
import { runGradescope } from '../../harness/platform/run-gradescope.ts';
import { zip } from '../../harness/platform/zip.ts';

interface PackArgs {
  config?: string;
  out: string;
}

const packCommand: CommandModule<object, PackArgs> = {
  command: 'pack',
  describe: 'build the autograder zip to upload to Gradescope (setup.sh, run_autograder, configuration, the kit)',
  builder: (y) =>
    y
      .option('config', { type: 'string', describe: 'assignment configuration (JSON); its trace files are packed too' })
      .option('out', { type: 'string', default: 'autograder.zip', describe: 'where to write the zip' }),
  handler: async (args) => {
    const entries = await autograderEntries({ configPath: args.config });
    await writeFile(args.out, zip(entries));
    process.stdout.write(`${args.out}: ${entries.length} files. Upload it as the autograder of a Gradescope programming assignment.\n`);
  },
};

interface RunArgs {
  submission: string;
  results: string;
  config: string;
  timeout: number;
  memory: number;
  format: 'md' | 'text';
  'tests-only': boolean;
  sandbox?: 'required' | 'auto' | 'off';
}

export const gradescopeCommand: CommandModule<object, RunArgs> = {
  command: 'gradescope',
  describe: 'grade a Gradescope submission and write results.json (run by run_autograder; see `gradescope pack`)',
  builder: (y) =>
    y
      .command(packCommand as never)
      .option('submission', { type: 'string', default: '/autograder/submission', describe: 'the student\'s files' })
      .option('results', { type: 'string', default: '/autograder/results/results.json', describe: 'where results.json goes' })
      .option('config', { type: 'string', default: '/autograder/source/heapgrade.config.json', describe: 'assignment configuration (defaults when absent)' })
      .option('timeout', { type: 'number', default: 540, describe: 'seconds for the whole grade (Gradescope stops everything at 10 minutes by default)' })
      .option('memory', { type: 'number', default: 512, describe: 'MiB for the graded process (Gradescope has 768 MB in all by default)' })
      .option('format', { choices: ['md', 'text'] as const, default: 'md' as const, describe: 'output format of the test results' })
      .option('sandbox', { choices: ['required', 'auto', 'off'] as const, describe: 'OS sandbox per graded child (bubblewrap, a cgroup, user nobody): required fails when it cannot start (default on Linux), auto warns and goes on (default elsewhere), off runs it unconfined' })
      .option('tests-only', { type: 'boolean', default: false, describe: 'correctness checks only' }),
  handler: async (args) => {
    const { results, isolated } = await runGradescope({
      submission: args.submission,
      results: args.results,
      configPath: args.config,
      timeoutMs: args.timeout * 1000,
      memoryMb: args.memory,
      outputFormat: args.format,
      mode: args['tests-only'] ? 'test' : 'grade',
      sandbox: args.sandbox,
    });
    process.stdout.write(`heapgrade: ${isolated.outcome} (${isolated.status}), score ${results.score}; wrote ${args.results}\n`);
    process.exitCode = isolated.status === 'error' ? 3 : 0;
  },
};
