/** `--profile NAME|auto|FILE.json`, shared by test, grade and trace. */
import type { Argv } from 'yargs';
import { PROFILE_NAMES } from '../../harness/profiles/resolve.ts';
import type { PlanRequest } from '../../harness/plan/build.ts';
import type { GradingPlan } from '../../harness/plan/types.ts';

export interface ProfileArgs {
  profile?: string;
}

export function withProfileFlag<T>(y: Argv<T>): Argv<T & ProfileArgs> {
  return y.option('profile', {
    type: 'string',
    describe: `the course handout the file was written for: ${PROFILE_NAMES.join(', ')}, auto (picked from the file, printed), or a course profile .json (default: the configuration's, else heapgrade)`,
  }) as Argv<T & ProfileArgs>;
}

/** The command's grading plan, by the one builder the isolated path uses too (harness/plan/build.ts); prints what `auto` picked (stderr: --json stays clean). */
export async function commandPlan(request: PlanRequest): Promise<GradingPlan> {
  // Imported here, not with the flag: the plan builder brings the checks, the configuration and the profiles,
  // which a command's handler may want to start other work before (`trace` starts its replay worker first).
  const [{ buildPlan }, { detectionLine }] = await Promise.all([import('../../harness/plan/build.ts'), import('../../harness/config/for-submission.ts')]);
  const plan = await buildPlan(request);
  if (plan.detection) process.stderr.write(`${detectionLine({ profile: plan.detection.profile, reasons: [...plan.detection.reasons] })}\n`);
  return plan;
}
