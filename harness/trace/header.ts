/**
 * The .rep header: which malloclab generation wrote it and what its numbers
 * mean. The generations differ only in the header:
 *
 *   2002 (CS:APP handout)   suggested_heap  num_ids  num_ops  weight
 *   2010 (CMU c.2010-2013)  weight          num_ids  num_ops  unused (0 or 1)
 *   2016 (CMU Autolab)      weight          num_ids  num_ops  peak_live_bytes
 *   short variant           num_ids  num_ops   (some redistributed 2002 sets)
 *
 * The values may be on one line each or share lines. Detection: a first
 * value above 3 cannot be a weight (0-3), so it is a 2002 header; otherwise
 * the fourth value is 2016's peak when it equals the trace's computed peak,
 * and 2010's unused field when it does not.
 */
import type { RepGeneration } from './types.ts';
import type { ProblemList } from './problems.ts';

export interface HeaderValue {
  readonly value: number;
  readonly line: number;
}

export interface RepHeader {
  readonly generation: RepGeneration;
  readonly numIds: HeaderValue;
  readonly numOps: HeaderValue;
  readonly weight?: number;
  readonly suggestedHeap?: number;
  readonly headerPeak?: number;
}

const FORMATS =
  'expected 4 numbers (2002: heap ids ops weight; 2010/2016: weight ids ops heap-or-peak) or 2 (ids ops)';

/**
 * Interprets the header numbers. `rawPeak` is the trace's peak live bytes
 * without the 32-bit NULL rule, which is what 2016 headers state.
 * Returns undefined (after recording a problem) when the header is unusable.
 */
export function interpretHeader(
  values: readonly HeaderValue[],
  requested: RepGeneration | 'auto',
  rawPeak: number,
  problems: ProblemList,
): RepHeader | undefined {
  if (values.length === 2) {
    const [numIds, numOps] = values as [HeaderValue, HeaderValue];
    return { generation: requested === 'auto' ? '2002' : requested, numIds, numOps };
  }
  if (values.length !== 4) {
    const where = values[0]?.line;
    problems.add(
      where,
      values.length === 0
        ? `no header before the first operation: ${FORMATS}`
        : `the header has ${values.length} number${values.length === 1 ? '' : 's'}; ${FORMATS}`,
    );
    return undefined;
  }
  const [first, numIds, numOps, fourth] = values as [HeaderValue, HeaderValue, HeaderValue, HeaderValue];
  const generation = requested !== 'auto' ? requested : detect(first.value, fourth.value, rawPeak);
  if (generation === '2002') {
    return { generation, numIds, numOps, suggestedHeap: first.value, weight: fourth.value };
  }
  if (first.value > 3) {
    problems.add(
      first.line,
      `weight ${first.value} is not 0-3, as a ${generation} header's first value must be; ` +
        `if it is a suggested heap size, the file is a 2002 trace: use generation '2002' or 'auto'`,
    );
    return undefined;
  }
  return generation === '2016'
    ? { generation, numIds, numOps, weight: first.value, headerPeak: fourth.value }
    : { generation, numIds, numOps, weight: first.value, suggestedHeap: fourth.value };
}

function detect(first: number, fourth: number, rawPeak: number): RepGeneration {
  if (first > 3) return '2002';
  return fourth > 1 && fourth === rawPeak ? '2016' : '2010';
}
