/**
 * TypeScript metering as compartment options: the step-meter transform runs
 * before any other transform on everything the compartment evaluates, and
 * the thread's meter tick is endowed under its reserved name. A reserved
 * name in the submission is its load failure, named by line.
 */
import type { ConfineOptions } from '../confine/compartment.ts';
import { LoadError } from '../util/errors.ts';
import { STEP_METER } from './step-meter.ts';
import { METER_GLOBAL, meterSource, ReservedNameError } from './ts-transform.ts';

export function meteringOptions(options: ConfineOptions, spec: string): ConfineOptions {
  // The first source the compartment evaluates is its own wrapper around the
  // bundle (harness/confine/compartment.ts), which binds the meter as a local;
  // everything after it is code the submission hands to eval or Function.
  let first = true;
  const transform = (src: string): string => {
    const kitWrapper = first;
    first = false;
    try {
      return meterSource(src, METER_GLOBAL, { kitWrapper });
    } catch (e) {
      if (e instanceof ReservedNameError) throw new LoadError(`${spec}: the bundled code at ${e.message}`, { cause: e });
      throw e;
    }
  };
  return {
    ...options,
    transforms: [transform, ...(options.transforms ?? [])],
    endowments: { ...options.endowments, [METER_GLOBAL]: STEP_METER.tick },
  };
}
