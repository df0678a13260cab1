/**
 * `heapgrade gradescope` (grade a submission into results.json),
 * `heapgrade gradescope pack` (the autograder zip) and `heapgrade gradescope
 * warm` (fill the C compile cache; setup.sh and the container recipe run it).
 */
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../../harness/util/atomic-write.ts';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { C_REFERENCE_SPEC } from '../../harness/isolation/c-targets.ts';
import { CompileService } from '../../harness/isolation/compile-service.ts';
import { autograderEntries } from '../../harness/platform/gradescope-pack.ts';
import { gradescopePaths } from '../../harness/platform/gradescope-paths.ts';
import { runGradescope } from '../../harness/platform/run-gradescope.ts';
import { zip } from '../../harness/platform/zip.ts';
import { cacheDir } from '../../harness/wasm/cache.ts';
import { UsageError } from '../../harness/util/errors.ts';

interface PackArgs {
  config?: string;
  out: string;
}

const packCommand: CommandModule<object, PackArgs> = {
  command: 'pack',
  describe: 'build the autograder zip to upload to Gradescope (setup.sh, run_autograder, configuration, the kit)',
  builder: (y) =>
    y
      .option('config', { type: 'string', describe: 'assignment configuration (JSON); its trace files are packed too (default: ./heapgrade.config.json if present, else the kit defaults)' })
      .option('out', { type: 'string', default: 'autograder.zip', describe: 'where to write the zip' }),
  handler: async (args) => {
    const local = resolve('heapgrade.config.json');
    const configPath = args.config ?? (existsSync(local) ? local : undefined);
    const entries = await autograderEntries({ configPath });
    await writeFileAtomic(args.out, zip(entries));
    process.stdout.write(
      `${args.out}: ${entries.length} files, configuration ${configPath ?? '(kit defaults)'}. Upload it as the autograder of a Gradescope programming assignment.\n`,
    );
  },
};

const warmCommand: CommandModule = {
  command: 'warm',
  describe: "compile the kit's C runtime and C reference into the compile cache ($HEAPGRADE_CACHE_DIR), so no submission pays the first compile",
  handler: async () => {
    const service = new CompileService();
    try {
      const r = await service.compile(C_REFERENCE_SPEC);
      if (r.kind !== 'compiled') {
        process.stderr.write(`heapgrade: the C runtime did not compile (${r.kind}): ${r.message}\n`);
        process.exitCode = 3;
        return;
      }
      process.stdout.write(`C runtime and ${C_REFERENCE_SPEC} compiled into ${cacheDir()} (${(r.ms / 1000).toFixed(1)} s${r.cached ? ', already cached' : ''})\n`);
    } finally {
      service.close();
    }
  },
};

interface RunArgs {
  root?: string;
  submission?: string;
  results?: string;
  config?: string;
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
      .command(warmCommand as never)
      .option('root', { type: 'string', describe: 'the autograder tree (submission/, source/, results/); default /autograder inside Gradescope, none elsewhere' })
      .option('submission', { type: 'string', describe: "the student's files (default: <root>/submission)" })
      .option('results', { type: 'string', describe: 'where results.json goes (default: <root>/results/results.json, or ./results.json outside Gradescope)' })
      .option('config', { type: 'string', describe: 'assignment configuration (default: <root>/source/heapgrade.config.json, or ./heapgrade.config.json if present; else the kit defaults)' })
      .option('timeout', { type: 'number', default: 540, describe: 'seconds for the whole grade (Gradescope stops everything at 10 minutes by default)' })
      .option('memory', { type: 'number', default: 512, describe: 'MiB for the graded process (Gradescope has 768 MB in all by default)' })
      .option('format', { choices: ['md', 'text'] as const, default: 'md' as const, describe: 'output format of the test results' })
      .option('sandbox', { choices: ['required', 'auto', 'off'] as const, describe: 'OS sandbox per graded child (bubblewrap, a cgroup, user nobody): required fails when it cannot start (default on Linux), auto warns and goes on (default elsewhere), off runs it unconfined' })
      .option('tests-only', { type: 'boolean', default: false, describe: 'correctness checks only' }),
  handler: async (args) => {
    const defaults = gradescopePaths(args.root);
    const submission = args.submission ?? defaults.submission;
    if (submission === undefined) {
      throw new UsageError('no submission to grade: outside Gradescope give `--submission DIR` (or `--root DIR` for a folder laid out like /autograder)');
    }
    if (args.config !== undefined && !existsSync(args.config)) throw new UsageError(`${args.config}: configuration file not found; check the --config path`);
    const results = args.results ?? defaults.results;
    const { results: written, isolated } = await runGradescope({
      submission,
      results,
      configPath: args.config ?? defaults.config,
      timeoutMs: args.timeout * 1000,
      memoryMb: args.memory,
      outputFormat: args.format,
      mode: args['tests-only'] ? 'test' : 'grade',
      sandbox: args.sandbox,
    });
    process.stdout.write(`heapgrade: ${isolated.outcome} (${isolated.status}), score ${written.score}; wrote ${results}\n`);
    process.exitCode = isolated.status === 'error' ? 3 : 0;
  },
};
