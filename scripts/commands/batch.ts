/** `heapgrade batch DIR`: grade a folder of submissions (one entry per student), each isolated, into a gradebook. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { runBatch } from '../../harness/batch/run-batch.ts';
import { parseShard } from '../../harness/batch/shard.ts';
import { UsageError } from '../../harness/util/errors.ts';
import { listOption } from './list-option.ts';
import { passLineOption, validPassLine } from './pass-line.ts';

interface BatchArgs {
  dir: string;
  config?: string;
  out?: string;
  jobs: number;
  timeout: number;
  memory: number;
  resume: boolean;
  fresh: boolean;
  'retry-errors': boolean;
  shard?: string;
  'tests-only': boolean;
  check?: string[];
  seed?: number;
  html: boolean;
  'compare-to'?: string;
  'pass-line'?: number;
  sandbox?: 'required' | 'auto' | 'off';
  profile?: string;
}

export const batchCommand: CommandModule<object, BatchArgs> = {
  command: 'batch <dir>',
  describe: 'grade every submission in a folder (one file or folder per student), each in its own limited process',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'folder with one entry per student; the entry name is the student id' })
      .option('config', { type: 'string', describe: 'assignment configuration (default: ./heapgrade.config.json if present)' })
      .option('profile', { type: 'string', describe: "the course handout the files were written for (malloclab-2002, malloclab-2010, malloclab-2013, malloclab-2016, cs341, heapgrade, auto: per submission, or a profile .json), overriding the configuration's" })
      .option('out', { type: 'string', describe: 'output folder (default: <dir>-results)' })
      .option('jobs', { type: 'number', default: availableParallelism(), describe: 'cores to use: submissions graded at once, one core each (a lone last submission uses the spare ones)' })
      .option('timeout', { type: 'number', default: 300, describe: 'seconds of CPU per submission (its whole process tree), then it is stopped as a timeout; the wall clock is only a backstop (4 times this, at least 10 minutes more), past which the kit is at fault' })
      .option('memory', { type: 'number', default: 1024, describe: 'MiB per submission (resident memory, JS heap, array buffers)' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue the journal in --out: skip what is graded, grade the rest' })
      .option('fresh', { type: 'boolean', default: false, describe: 'discard the journal in --out and start over' })
      .option('retry-errors', { type: 'boolean', default: false, describe: 'with --resume: grade again the submissions the kit failed on' })
      .option('shard', { type: 'string', describe: 'grade only slice i of n (e.g. 2/4), by sorted id, for a CI matrix' })
      .option('tests-only', { type: 'boolean', default: false, describe: 'correctness checks only (heapgrade test), no workloads' })
      .option('check', listOption('with --tests-only: run only these checks'))
      .option('seed', { type: 'number', describe: 'instance seed for every replay (default 1)' })
      .option('sandbox', { choices: ['required', 'auto', 'off'] as const, describe: 'OS sandbox per graded child (bubblewrap, a cgroup, user nobody): required fails when it cannot start (default on Linux), auto warns and goes on (default elsewhere), off runs it unconfined' })
      .option('html', { type: 'boolean', default: false, describe: "also write the course page <out>/index.html (distribution, common mistakes, workloads, every student) and each student's HTML report (heap over time per workload; the TA's view, hidden workloads included) to <out>/students/<id>.html" })
      .option('compare-to', { type: 'string', describe: 'with --html: an earlier output folder of the course; the course page adds "what changed" (see `heapgrade diff`)' })
      .option('pass-line', passLineOption)
      .check((a) => {
        if (!Number.isInteger(a.jobs) || a.jobs < 1) throw new UsageError(`Expected \`--jobs\` to be a positive integer, got \`${a.jobs}\``);
        if (!(a.timeout > 0)) throw new UsageError(`Expected \`--timeout\` to be a positive number of seconds, got \`${a.timeout}\``);
        if (!(a.memory >= 64)) throw new UsageError(`Expected \`--memory\` to be at least 64 (MiB), got \`${a.memory}\``);
        if (a.check && !a['tests-only']) throw new UsageError('`--check` selects checks of `--tests-only` runs; add --tests-only, or drop --check to grade fully');
        if (a.resume && a.fresh) throw new UsageError('`--resume` and `--fresh` contradict each other: pick one');
        if ((a['compare-to'] !== undefined || a['pass-line'] !== undefined) && !a.html) throw new UsageError('`--compare-to` and `--pass-line` are settings of the course page: add --html, or run `heapgrade report OUT` afterwards');
        validPassLine(a);
        return true;
      }),
  handler: async (args) => {
    // Ctrl-C: every graded submission is in the journal already; say how to go on (the children die with the process group).
    const onInterrupt = (): void => {
      process.stderr.write(`\nheapgrade: interrupted. Every submission graded so far is kept in the journal; continue with:\n  heapgrade batch ${args.dir} --out ${args.out ?? `${args.dir.replace(/\/+$/, '')}-results`} --resume${args.config ? ` --config ${args.config}` : ''}\n`);
      process.exit(130);
    };
    process.once('SIGINT', onInterrupt);
    const summary = await runBatch({
      dir: args.dir,
      out: args.out,
      configPath: args.config,
      mode: args['tests-only'] ? 'test' : 'grade',
      jobs: args.jobs,
      timeoutMs: args.timeout * 1000,
      memoryMb: args.memory,
      resume: args.resume,
      fresh: args.fresh,
      retryErrors: args['retry-errors'],
      shard: args.shard === undefined ? undefined : parseShard(args.shard),
      html: args.html,
      coursePage: { compareTo: args['compare-to'], passLine: args['pass-line'] },
      sandbox: args.sandbox,
      choices: {
        ...(args.seed !== undefined && { seed: args.seed }),
        ...(args.check && { checks: args.check }),
        // A profile file is passed on absolute: the children run in other folders.
        ...(args.profile !== undefined && { profile: args.profile.endsWith('.json') ? resolve(args.profile) : args.profile }),
      },
    });
    const { pass, fail, error } = summary.counts;
    process.stdout.write(
      `${summary.total} submissions: ${pass} pass, ${fail} fail, ${error} error${error > 0 ? ' (kit failures: re-run with --resume --retry-errors)' : ''}` +
        `${summary.coursePage ? `; course page: ${summary.coursePage}` : ''}\n` +
        `gradebook: ${summary.gradebook}\nper-student reports: ${summary.out}/students/ (for students: hidden workloads left out), ${summary.out}/staff/ (the full record)\n`,
    );
    process.off('SIGINT', onInterrupt);
    // A kit failure on any submission must not look like a clean run.
    process.exitCode = error > 0 ? 3 : 0;
  },
};
