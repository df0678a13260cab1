/**
 * TypeScript metering as compartment options: the step-meter transform runs
 * before any other transform on everything the compartment evaluates, and
 * the thread's meter tick and the call-site functions that charge builtin
 * work (harness/meter/builtin-costs.ts) are endowed under their reserved
 * names. A reserved name or a refused construct in the submission is its
 * load failure, named by line.
 */
import type { ConfineOptions } from './compartment.ts';
import { LoadError } from '../util/errors.ts';
import { mapConfinedLocation } from '../util/stack-map.ts';
import { meteredCalls, type MeteredCalls } from '../meter/builtin-costs.ts';
import { STEP_METER } from '../meter/step-meter.ts';
import { OFF_HEAP_LEDGER } from '../offheap/ledger.ts';
import { CALL_SITE_GLOBALS, METER_GLOBAL, meterSource, RefusedSourceError } from '../meter/ts-transform.ts';

let calls: MeteredCalls | null = null;

/** The call-site endowments, made once per thread (after lockdown: they key on the frozen intrinsics). */
function callSiteEndowments(): Record<string, unknown> {
  calls ??= meteredCalls(STEP_METER.charge, OFF_HEAP_LEDGER);
  const out: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(CALL_SITE_GLOBALS)) out[name] = calls[key as keyof MeteredCalls];
  return out;
}

export function meteringOptions(options: ConfineOptions, spec: string): ConfineOptions {
  // The first source the compartment evaluates is its own wrapper around the
  // bundle (harness/confine/compartment.ts), which binds the meter as a local;
  // everything after it is code the submission hands to eval or Function.
  let first = true;
  const transform = (src: string): string => {
    const kitWrapper = first;
    first = false;
    try {
      return meterSource(src, METER_GLOBAL, { kitWrapper, callSites: true });
    } catch (e) {
      if (e instanceof RefusedSourceError) {
        // The bundle names its URL, whose source map (registered before it is evaluated) gives the student's file:line.
        const url = kitWrapper ? /\/\/# sourceURL=(heapgrade-confined:\S+)/.exec(src)?.[1] : undefined;
        const at = url === undefined ? undefined : mapConfinedLocation(`${url}:${e.line}:${e.column + 1}`);
        throw new LoadError(at ? `${spec}: ${at} ${e.why}` : `${spec}: the bundled code at ${e.message}`, { cause: e });
      }
      throw e;
    }
  };
  return {
    ...options,
    transforms: [transform, ...(options.transforms ?? [])],
    endowments: { ...options.endowments, [METER_GLOBAL]: STEP_METER.tick, ...callSiteEndowments() },
    // What the submission puts on its global object is walked like what it made at load (offheap/ledger.ts).
    onGlobal: (global) => OFF_HEAP_LEDGER.adoptGlobal(global),
  };
}
