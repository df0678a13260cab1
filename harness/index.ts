/**
 * heapgrade's public API. Everything a grader outside the CLI needs, listed
 * by name (no `export *`).
 */
export type { Allocator, AllocatorFactory, Heap, Ptr } from './contract/types.ts';
export { SIZE_MAX } from './contract/types.ts';
export type { AllocatorInstance, LoadedSubmission } from './contract/instance.ts';
export { SimHeap, DEFAULT_HEAP_LIMIT } from './heap/sim-heap.ts';
export { createHeapPort } from './heap/heap-port.ts';
export { Checker } from './checker/checker.ts';
export { resolveCheckerOptions, type CheckerOptions } from './checker/options.ts';
export { VIOLATION_KINDS, type Violation, type ViolationKind } from './checker/violation.ts';
export type { Op, Trace } from './trace/types.ts';
export { parseRep, readTraceFile } from './trace/parse.ts';
export { writeRep } from './trace/write.ts';
export { loadSubmission } from './loader/load.ts';
export { replayChecked, replayRaw } from './replay/replay.ts';
export { runTests, type TestOptions } from './runner/run-tests.ts';
export type { CheckResult, GradeReport, TestReport, WorkloadResult, Status } from './report/types.ts';
export { LoadError, UsageError, HeapgradeError } from './util/errors.ts';
