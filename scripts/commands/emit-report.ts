/** How `test` and `grade` hand a finished report to the user, and the exit code it earns. */
import { writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { REPORTERS, type ReporterName } from '../../harness/platform/reporters.ts';
import type { TestReport } from '../../harness/report/types.ts';
import type { ShareRules } from '../../harness/plan/shares.ts';

export interface EmitArgs {
  json: boolean;
  reporter?: string;
  output?: string;
}

export function withReportFlags<T>(y: Argv<T>): Argv<T & EmitArgs> {
  return y
    .option('json', { type: 'boolean', default: false, describe: 'print the machine-readable report (stable fields, see README)' })
    .option('reporter', { type: 'string', choices: Object.keys(REPORTERS), describe: 'print the report in a platform format instead (junit, gradescope, prairielearn, github, classroom)' })
    .option('output', { type: 'string', describe: 'with --reporter or --json: write to this file instead of stdout' }) as Argv<T & EmitArgs>;
}

/** Writes the report as the flags ask: a platform format (points split by the plan's weights, `rules`), JSON, or the text for a person. */
export function emitReport(report: TestReport, args: EmitArgs, rules: ShareRules, text: () => string): void {
  const body = args.reporter
    ? REPORTERS[args.reporter as ReporterName](report as never, rules)
    : args.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : `${text()}\n`;
  if (args.output && (args.reporter || args.json)) writeFileSync(args.output, body);
  else process.stdout.write(body);
}

/** The CLI's exit codes. */
export const EXIT = { pass: 0, fail: 1, usage: 2, internal: 3 } as const;

/** pass: all passed; fail: a check or workload failed; usage: the submission did not load; internal: the kit failed. */
export function exitCodeFor(report: TestReport): number {
  if (report.status === 'pass') return EXIT.pass;
  if (report.status === 'error') return EXIT.internal;
  return report.error ? EXIT.usage : EXIT.fail;
}
