/**
 * What student code throws, copied into plain data before the kit looks at
 * it. A thrown value is the student's object: its `message` or `stack` may be
 * a getter, its `toString` student code, its prototype a forged kit class.
 * The copy is made while the call is still metered (harness/meter/step-meter.ts),
 * so a getter that loops runs out of the call's budget like any other code
 * and a getter that throws is the student's failure; each string read is
 * bounded and its length charged. After the copy, the kit only ever sees
 * the kit's own objects holding strings and numbers.
 */
import { SegfaultError } from '../heap/segfault.ts';
import type { SegfaultInfo } from '../contract/checked-heap.ts';

/** The longest text kept of a thrown value's name / message / stack. */
const MAX_NAME = 100;
const MAX_MESSAGE = 2000;
const MAX_STACK = 8000;

/** What the student threw, as the kit's own error with copied strings: the `threw` violation reads only this. */
export class StudentThrow extends Error {
  readonly code = 'HEAPGRADE_STUDENT_THROW';
  constructor(name: string, message: string, stack: string) {
    super(message);
    this.name = name;
    // An own data property: the copied text, never the student's getter.
    Object.defineProperty(this, 'stack', { value: stack, writable: true, enumerable: false, configurable: true });
  }
}

/** Charges `n` steps to the running call (the meter's own `charge`). */
export type Charge = (n: number) => void;

/**
 * Copies `e` into a StudentThrow, or, for something shaped like the heap's
 * SegfaultError, into a fresh SegfaultError from copied fields. Must run
 * inside the metered call that caught `e`.
 */
export function copyThrown(e: unknown, charge: Charge): Error {
  if (e === null || (typeof e !== 'object' && typeof e !== 'function')) {
    return new StudentThrow('Error', text(() => String(e), MAX_MESSAGE, charge), '');
  }
  const isError = e instanceof Error;
  const name = isError ? text(() => (e as Error).name, MAX_NAME, charge) : 'Error';
  const message = isError ? text(() => (e as Error).message, MAX_MESSAGE, charge) : text(() => String(e), MAX_MESSAGE, charge);
  const stack = isError ? text(() => (e as Error).stack, MAX_STACK, charge) : '';
  if (e instanceof SegfaultError) {
    const info = read(() => (e as SegfaultError).info);
    const copied: SegfaultInfo = {
      access: text(() => (info as SegfaultInfo).access, MAX_NAME, charge),
      length: num(() => (info as SegfaultInfo).length),
      address: num(() => (info as SegfaultInfo).address),
      op: num(() => (info as SegfaultInfo).op),
      ...(read(() => (info as SegfaultInfo).where) !== undefined ? { where: text(() => (info as SegfaultInfo).where, MAX_NAME, charge) } : {}),
      // The student's callers under the fault (or the quoted C line): as bounded as the stack.
      ...(read(() => (info as SegfaultInfo).source) !== undefined ? { source: text(() => (info as SegfaultInfo).source, MAX_STACK, charge) } : {}),
    };
    const fault = new SegfaultError(copied);
    Object.defineProperty(fault, 'stack', { value: stack, writable: true, enumerable: false, configurable: true });
    return fault;
  }
  return new StudentThrow(name || 'Error', message, stack);
}

/** A string read from student code: converted, bounded, its length charged; what cannot be read says so. */
function text(get: () => unknown, max: number, charge: Charge): string {
  let s: string;
  try {
    const v = get();
    s = typeof v === 'string' ? v : v === undefined ? '' : String(v);
  } catch {
    return '(a value that cannot be shown)';
  }
  charge(1 + (Math.min(s.length, max) >> 3));
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function num(get: () => unknown): number {
  const v = read(get);
  return typeof v === 'number' ? v : Number.NaN;
}

function read(get: () => unknown): unknown {
  try {
    return get();
  } catch {
    return undefined;
  }
}
