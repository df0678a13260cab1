/**
 * Turning a failed search into something a student can act on: the .rep
 * file, the command that replays it, and a check result that the test
 * report shows like any other check.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckResult } from '../report/types.ts';
import { shellQuote } from '../replay/repro-files.ts';
import { writeRep } from '../trace/write.ts';
import { PROPERTY_CHECK } from '../../suites/correctness/property.ts';
import type { PropertyResult } from './search.ts';

export type PropertyFailure = Extract<PropertyResult, { status: 'fail' }>;

export interface SavedRepro {
  /** Path of the .rep, relative to the working directory when inside it. */
  file: string;
  /** `heapgrade trace FILE SUBMISSION`: replays the trace under the checker. */
  command: string;
}

export function saveRepro(result: PropertyFailure, submission: string, dir: string): SavedRepro {
  mkdirSync(dir, { recursive: true });
  const abs = path.join(dir, `property-${result.violation.kind}-seed${result.seed}.rep`);
  writeFileSync(abs, writeRep({ name: `property search, seed ${result.seed}`, ops: result.trace }));
  const file = path.relative(process.cwd(), abs) || abs;
  return { file, command: `npx heapgrade trace ${shellQuote(file)} ${shellQuote(submission)}` };
}

/** The search as a check result (0 points by default: it finds bugs, the named checks grade them). */
export function propertyCheckResult(result: PropertyResult, durationMs: number, saved?: SavedRepro, points = 0): CheckResult {
  const base = { ...PROPERTY_CHECK, points: 0, maxPoints: points, durationMs, seed: result.seed };
  if (result.status === 'pass') {
    return { ...base, points, status: 'pass', violations: [], ops: 0, search: { runs: result.runs, steps: Math.round(result.steps), stoppedBy: result.stoppedBy } };
  }
  return {
    ...base,
    status: 'fail',
    ops: result.trace.length,
    violations: [{ ...result.violation, repro: result.trace }],
    ...(saved ? { replay: saved.command, reproFile: saved.file } : {}),
  };
}
