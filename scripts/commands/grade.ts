/**
 * `heapgrade grade [submission]`: correctness, per-workload utilization and
 * speed, and the total out of 100. Exit codes: 0 pass, 1 a check or workload
 * failed, 2 bad usage, configuration or a submission that does not load, 3 a
 * bug in heapgrade.
 */
import type { CommandModule } from 'yargs';
import { UsageError } from '../../harness/util/errors.ts';
import type { SpeedBasis } from '../../harness/config/types.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { useColor } from '../../harness/report/color.ts';
import { formatGradeReport } from '../../harness/report/grade-text.ts';
import type { RunProgress, WorkloadResult } from '../../harness/report/types.ts';
import { TestProgress } from '../../harness/report/test-progress.ts';
import { emitReport, exitCodeFor, withReportFlags, type EmitArgs } from './emit-report.ts';
import { resolveSubmissionArg } from './submission-arg.ts';
import { listOption } from './list-option.ts';
import { commandPlan, withProfileFlag, type ProfileArgs } from './profile-flag.ts';

interface GradeArgs extends EmitArgs, ProfileArgs {
  vs?: string;
  submission?: string;
  config?: string;
  workloads?: string[];
  speed?: SpeedBasis;
  'show-hidden': boolean;
  html?: string;
  example?: boolean;
  color?: boolean;
  jobs?: number;
}

export const gradeCommand: CommandModule<object, GradeArgs> = {
  command: 'grade [submission]',
  describe: 'score an allocator out of 100: correctness, utilization and speed per workload (see heapgrade.config.example.json)',
  builder: (y) =>
    withProfileFlag(withReportFlags(y))
      .positional('submission', { type: 'string', describe: 'a .ts/.js/.c file, a folder, or ref:NAME (default: ./allocator.ts, ./mm.c, ./alloc.c)' })
      .option('example', { type: 'boolean', describe: "grade the kit's bundled example allocator (student-template/ts/allocator.ts)" })
      .option('config', { type: 'string', describe: 'assignment configuration (default: ./heapgrade.config.json or .ts, else the defaults)' })
      .option('workloads', listOption('grade only these workloads'))
      .option('speed', { type: 'string', choices: ['cost', 'wallclock'] as const, describe: "speed basis, overriding the configuration's" })
      .option('show-hidden', { type: 'boolean', default: false, describe: 'show hidden workloads by name, with details (for TAs)' })
      .option('vs', { type: 'string', describe: 'measure speed against this allocator instead of the reference (e.g. ref:dlmalloc, the allocator a C student would otherwise get)' })
      .option('html', { type: 'string', describe: 'also write the report as a self-contained HTML page to this file' })
      .option('jobs', { type: 'number', describe: 'worker threads for the checks (at most 2 by default) and the workloads run side by side (default: the cores)' })
      .option('color', { type: 'boolean', describe: 'colours (default: on a terminal, unless NO_COLOR)' }) as never,
  handler: async (args) => {
    if (args.jobs !== undefined && !(Number.isInteger(args.jobs) && args.jobs >= 1)) {
      throw new UsageError(`--jobs must be a whole number, at least 1, got ${String(args.jobs)}`);
    }
    const spec = resolveSubmissionArg(args.submission, { usage: 'grade path/to/allocator.ts', example: args.example });
    // The grading plan, by the same builder as every other front end's; --speed overrides the configuration's, in the plan.
    const plan = await commandPlan({ mode: 'grade', submission: spec, ...(args.config !== undefined && { configFile: args.config }), ...(args.profile !== undefined && { profile: args.profile }), ...(args.workloads && { workloads: args.workloads }), overrides: { speed: args.speed } });
    // On a terminal, one status line while the workloads run, erased before the report (which lists each workload once);
    // through a pipe nothing: the report is the record.
    const live = !args.json && !args.reporter && process.stderr.isTTY === true ? new WorkloadStatus(process.stderr) : undefined;
    // The checks' phase, on stderr as `test` shows it: the C compile from its first second (through a pipe one plain
    // line, only when the compiler runs), then on a terminal what the checks are doing; erased before the workloads.
    const checking = !args.json && !args.reporter ? new TestProgress(process.stderr, { spec, width: 0 }) : undefined;
    const report = await gradeSubmission(spec, {
      plan,
      showHidden: args['show-hidden'],
      ...(args.vs ? { vs: args.vs } : {}),
      ...(args.html ? { html: args.html } : {}),
      ...(args.jobs !== undefined ? { jobs: args.jobs } : {}),
      ...(checking && { onProgress: (p: RunProgress) => checking.progress(p) }),
      onWorkload: (w) => {
        checking?.end();
        live?.workload(w);
      },
    });
    checking?.end();
    live?.end();
    emitReport(report, args, plan.config, () => formatGradeReport(report, { color: useColor(process.stdout, args.color) }));
    process.exitCode = exitCodeFor(report);
  },
};

/** A redrawn stderr line saying which workload was graded last, so a long grade shows it is moving. */
class WorkloadStatus {
  private done = 0;
  constructor(private readonly out: NodeJS.WriteStream) {}

  workload(w: WorkloadResult): void {
    this.done++;
    const what = w.status === 'pass' ? `utilization ${(w.utilization * 100).toFixed(1)}%, speed ${w.throughput.toFixed(2)}x` : w.status;
    this.out.write(`\r\x1b[K${this.done} workload${this.done === 1 ? '' : 's'} graded · ${w.name}: ${what}`.slice(0, (this.out.columns || 80) - 1));
  }

  end(): void {
    if (this.done > 0) this.out.write('\r\x1b[K');
  }
}
