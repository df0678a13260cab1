/**
 * The assignment configuration: what a TA writes in `heapgrade.config.json`
 * (or the default export of `heapgrade.config.ts`). `ConfigInput` is what the
 * file may contain (every key optional); `Config` is the resolved form with
 * every default filled, the only form the grader sees.
 */
import type { ScoreRules } from '../scoring/score.ts';

export type SpeedBasis = 'wallclock' | 'cost';

/** Overrides for one workload; what is left out comes from the built-in workload (or weight 1, visible). */
export interface WorkloadSetting {
  /** Relative weight in the performance score; 0 means the workload does not count. */
  weight?: number;
  /** Hidden from students: run and scored, but its details stay out of student reports. */
  hidden?: boolean;
  /** A TA's own trace file (.rep), relative to the configuration file. Absent for built-in workloads. */
  file?: string;
}

/** The resolved configuration; its points, thresholds and weights are the score's rules (scoring/score.ts). */
export interface Config extends ScoreRules {
  /**
   * The course profile (harness/profiles): \`heapgrade\` (the kit's strict rules),
   * \`malloclab-2002\`, \`malloclab-2010\`, \`malloclab-2013\`, \`malloclab-2016\`, \`cs341\`, \`auto\`
   * (chosen from the submission), or a course's own profile file (.json,
   * resolved to an absolute path). It sets the data model, alignment, heap
   * limit, static-data limit and the checks beyond the handout; keys the file
   * sets itself win over the profile's.
   */
  profile: string;
  /** Per-workload settings and the TA's own workloads, by name. */
  workloads: Record<string, WorkloadSetting>;
  /** When true only the workloads named in `workloads` count; otherwise every built-in one does too. */
  onlyListedWorkloads: boolean;
  /**
   * 'cost' (default): metered cost per operation against the reference's, from the checked run (C: wasm
   * instructions; TypeScript: steps and heap work), the same on every machine. 'wallclock': operations per
   * second timed against the reference with trusted clocks (machine-dependent).
   */
  speed: SpeedBasis;
  /** Metered work one allocator call may do before it is a `timeout` at that call: C instructions, TypeScript steps. */
  stepBudget: { c: number; ts: number };
  /** Bytes the heap may grow to. */
  heapLimit: number;
  alignment: 8 | 16;
  /** Wall-clock backstop for one allocator call, in milliseconds (the step budget is the real limit). */
  callTimeoutMs: number;
  /** C only: bytes of global (static) data allowed before `off-heap-metadata` (CMU's rule: 128). */
  staticDataLimit: number;
  /**
   * A submission that fails `off-heap-metadata` earns no utilization or speed
   * points: both were measured with the help of the metadata it kept outside
   * the heap. `false` scores them as measured. @default true
   */
  offHeapForfeitsPerformance: boolean;
  malloc0: 'any' | 'null' | 'unique';
  realloc0: 'any' | 'free' | 'minimal';
  /**
   * Timed throughput measurement: interleaved rounds, each timing both sides.
   * `clock: 'cpu'` times with this process's CPU time, so other processes on
   * a busy machine do not count; 'wall' uses elapsed time.
   */
  timing: { rounds: number; minSampleMs: number; clock: 'cpu' | 'wall' };
  /**
   * Property-based search for failures, part of `heapgrade test`: at most
   * `numRuns` random traces and `stepBudget` metered steps (TypeScript steps,
   * C instructions), the same on any machine; `timeLimitMs` is only a
   * wall-clock backstop.
   */
  property: { timeLimitMs: number; numRuns: number; stepBudget: number };
  /**
   * The OS sandbox (bubblewrap) where no `--sandbox` flag says otherwise:
   * `required` refuses to grade where it cannot start (Gradescope then
   * writes a results.json that explains, Classroom a step summary), `auto`
   * grades with the protections that remain. Absent: `auto` for the hosted
   * graders (`gradescope`, `classroom`), `required` for `batch` on Linux.
   */
  sandbox?: 'required' | 'auto';
}

/** What a configuration file may contain: every key optional, nested objects too. */
export type ConfigInput = {
  [K in keyof Config]?: Config[K] extends object ? Partial<Config[K]> : Config[K];
};
