/**
 * Report formats by name, for a `--reporter` flag on `heapgrade test` and
 * `heapgrade grade`: each takes the same report and the plan's score rules
 * (the weights `heapgrade gradescope` and `classroom` split points by too)
 * and returns the file's text.
 * `choices: Object.keys(REPORTERS)` keeps the flag and this map in step.
 */
import type { PlatformReport } from './common.ts';
import type { ShareRules } from '../plan/shares.ts';
import { encodeClassroomResult, toAnnotations, toStepSummary } from './github.ts';
import { toGradescope } from './gradescope.ts';
import { toJUnit } from './junit.ts';
import { toPrairieLearn } from './prairielearn.ts';

export const REPORTERS = {
  junit: (r: PlatformReport) => toJUnit(r),
  gradescope: (r: PlatformReport, rules: ShareRules) => `${JSON.stringify(toGradescope(r, { rules }), null, 2)}\n`,
  prairielearn: (r: PlatformReport) => `${JSON.stringify(toPrairieLearn(r), null, 2)}\n`,
  /** Markdown step summary, then the annotations (for $GITHUB_STEP_SUMMARY and the log). */
  github: (r: PlatformReport) => `${toStepSummary(r)}\n${toAnnotations(r).join('\n')}\n`,
  /** The base64 runner result for the Classroom reporter (`result=` line for $GITHUB_OUTPUT). */
  classroom: (r: PlatformReport, rules: ShareRules) => `result=${encodeClassroomResult(r, rules)}\n`,
} as const satisfies Record<string, (r: PlatformReport, rules: ShareRules) => string>;

export type ReporterName = keyof typeof REPORTERS;
