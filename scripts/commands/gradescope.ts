/**
 * `heapgrade gradescope` (grade a submission into results.json),
 * `heapgrade gradescope pack` (the autograder zip) and `heapgrade gradescope
 * warm` (fill the C compile cache; setup.sh and the container recipe run it).
 */
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../../harness/util/atomic-write.ts';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { C_REFERENCE_SPEC } from '../../harness/loader/c-targets.ts';
import { CompileService } from '../../harness/isolation/compile-service.ts';
import { autograderEntries } from '../../harness/platform/gradescope-pack.ts';
import { gradescopePaths } from '../../harness/platform/gradescope-paths.ts';
import { runFlags, type RunSettings } from '../../harness/platform/gradescope-scripts.ts';
import { runGradescope } from '../../harness/platform/run-gradescope.ts';
import { zip } from '../../harness/platform/zip.ts';
import { cacheDir } from '../../harness/wasm/cache.ts';
import { UsageError } from '../../harness/util/errors.ts';

interface PackArgs {
  config?: string;
  out: string;
  sandbox?: 'required' | 'auto' | 'off';
  timeout?: number;
  memory?: number;
  'tests-only'?: boolean;
}

const packCommand: CommandModule<object, PackArgs> = {
  command: 'pack',
  describe: 'build the autograder zip to upload to Gradescope (setup.sh, run_autograder, configuration, the kit)',
  builder: (y) =>
    y
      .option('config', { type: 'string', describe: 'assignment configuration (JSON); its trace files are packed too (default: ./heapgrade.config.json if present, else the kit defaults)' })
      .option('out', { type: 'string', default: 'autograder.zip', describe: 'where to write the zip' })
      // Written into run_autograder as flags of `heapgrade gradescope` (absent: that command's defaults).
      .option('sandbox', { choices: ['required', 'auto', 'off'] as const, describe: 'OS sandbox for every submission (default: the configuration\'s "sandbox", else auto: grade with the protections that remain where the container refuses namespaces)' })
      .option('timeout', { type: 'number', describe: 'seconds for each whole grade (default 540)' })
      .option('memory', { type: 'number', describe: 'MiB for each graded process (default 512)' })
      .option('tests-only', { type: 'boolean', describe: 'correctness checks only, no performance workloads' }),
  handler: async (args) => {
    const local = resolve('heapgrade.config.json');
    const configPath = args.config ?? (existsSync(local) ? local : undefined);
    for (const k of ['timeout', 'memory'] as const) {
      const v = args[k];
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new UsageError(`--${k} ${String(v)}: expected a positive number (${k === 'timeout' ? 'seconds' : 'MiB'})`);
    }
    const run: RunSettings = { sandbox: args.sandbox, timeout: args.timeout, memory: args.memory, testsOnly: args['tests-only'] };
    const entries = await autograderEntries({ configPath, run });
    await writeFileAtomic(args.out, zip(entries));
    const flags = runFlags(run);
    process.stdout.write(
      `${args.out}: ${entries.length} files, configuration ${configPath ?? '(kit defaults)'}${flags.length ? `, run_autograder grades with ${flags.join(' ')}` : ''}. Upload it as the autograder of a Gradescope programming assignment.\n`,
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
      .option('root', { type: 'string', global: false, describe: 'the autograder tree (submission/, source/, results/); default /autograder inside Gradescope, none elsewhere' })
      .option('submission', { type: 'string', global: false, describe: "the student's files (default: <root>/submission)" })
      .option('results', { type: 'string', global: false, describe: 'where results.json goes (default: <root>/results/results.json, or ./results.json outside Gradescope)' })
      .option('config', { type: 'string', global: false, describe: 'assignment configuration (default: <root>/source/heapgrade.config.json, or ./heapgrade.config.json if present; else the kit defaults)' })
      .option('timeout', { type: 'number', default: 540, global: false, describe: 'seconds for the whole grade (Gradescope stops everything at 10 minutes by default)' })
      .option('memory', { type: 'number', default: 512, global: false, describe: 'MiB for the graded process (Gradescope has 768 MB in all by default)' })
      .option('format', { choices: ['md', 'text'] as const, default: 'md' as const, global: false, describe: 'output format of the test results' })
      .option('sandbox', { choices: ['required', 'auto', 'off'] as const, global: false, describe: 'OS sandbox per graded child (bubblewrap, a cgroup, user nobody): required writes a results.json that explains when it cannot start, auto grades with the protections that remain and says which (default: the configuration\'s "sandbox", else auto), off runs it unconfined' })
      .option('tests-only', { type: 'boolean', default: false, global: false, describe: 'correctness checks only' }),
  handler: async (args) => {
    const defaults = gradescopePaths(args.root);
    const submission = args.submission ?? defaults.submission;
    if (submission === undefined) {
      throw new UsageError('no submission to grade: outside Gradescope give `--submission DIR` (or `--root DIR` for a folder laid out like /autograder)');
    }
    if (args.config !== undefined && !existsSync(args.config)) throw new UsageError(`${args.config}: configuration file not found; check the --config path`);
    const results = args.results ?? defaults.results;
    const run = await runGradescope({
      submission,
      results,
      configPath: args.config ?? defaults.config,
      timeoutMs: args.timeout * 1000,
      memoryMb: args.memory,
      outputFormat: args.format,
      mode: args['tests-only'] ? 'test' : 'grade',
      sandbox: args.sandbox,
    });
    if (run.notGraded !== undefined) {
      // The staff's to fix, said in results.json too (the student sees "not graded", not a generic failure).
      process.stderr.write(`heapgrade: not graded: ${run.notGraded}\n`);
      process.stdout.write(`heapgrade: wrote ${results} (not graded)\n`);
      process.exitCode = 2;
      return;
    }
    process.stdout.write(`heapgrade: ${run.isolated.outcome} (${run.isolated.status}), score ${run.results.score}; wrote ${results}\n`);
    process.exitCode = run.isolated.status === 'error' ? 3 : 0;
  },
};
