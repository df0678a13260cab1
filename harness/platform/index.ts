/** The platform writers' public names (one report in, one platform's file out). */
export { reportFromIsolated, type PlatformReport } from './common.ts';
export { toGradescope, type GradescopeOptions, type GradescopeResults } from './gradescope.ts';
export { isLoadFailure, toPrairieLearn, type PrairieLearnOptions, type PrairieLearnResults } from './prairielearn.ts';
export { toJUnit } from './junit.ts';
export { toStepSummary, toAnnotations, toClassroomResult, encodeClassroomResult, wrapUntrusted } from './github.ts';
export { REPORTERS, type ReporterName } from './reporters.ts';
