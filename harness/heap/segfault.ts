import type { SegfaultInfo } from './checked-heap.ts';

/** Thrown by the simulated heap on an access outside [base, brk). */
export class SegfaultError extends Error {
  readonly code = 'HEAPGRADE_SEGFAULT';
  constructor(readonly info: SegfaultInfo) {
    super(
      `segmentation fault: ${info.access} of ${info.length} byte(s) at 0x${info.address.toString(16)}` +
        (info.where ? ` in ${info.where}` : ''),
    );
    this.name = 'SegfaultError';
  }
}
