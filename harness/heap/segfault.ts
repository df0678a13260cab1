import { hex } from '../util/format.ts';
import type { SegfaultInfo } from '../contract/checked-heap.ts';

/** Thrown by the simulated heap on an access outside [base, brk). */
export class SegfaultError extends Error {
  readonly code = 'HEAPGRADE_SEGFAULT';
  constructor(readonly info: SegfaultInfo) {
    super(
      `segmentation fault: ${info.access} of ${info.length} byte(s) at ${hex(info.address)}` +
        (info.where ? ` in ${info.where}` : ''),
    );
    this.name = 'SegfaultError';
  }
}
