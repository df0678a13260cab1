/** Flags shared by every command that runs the checker, and their mapping to options. */
import type { Argv } from 'yargs';
import type { CheckerOptions } from '../../harness/checker/options.ts';
import { DEFAULT_CONFIG } from '../../harness/config/defaults.ts';
import { UsageError } from '../../harness/util/errors.ts';

export interface CheckerArgs {
  alignment?: number;
  malloc0?: string;
  realloc0?: string;
  'check-heap'?: boolean;
  limit?: number;
  seed?: number;
}

// Defaults in help texts come from DEFAULT_CONFIG, the one place they are set, so the help cannot drift from what runs.
const D = DEFAULT_CONFIG;

/** `--call-timeout`, for the commands that replay calls one by one (test, trace). */
export const CALL_TIMEOUT_OPTION = {
  type: 'number',
  describe: `milliseconds a single call may take before it counts as hung, a backstop behind the step budget (default: the configuration's, else ${D.callTimeoutMs})`,
} as const;

export function withCheckerFlags<T>(y: Argv<T>): Argv<T & CheckerArgs> {
  return y
    .option('alignment', { type: 'number', choices: [8, 16], describe: `required alignment of returned pointers (default ${D.alignment})` })
    .option('malloc0', { type: 'string', choices: ['any', 'null', 'unique'], describe: `what malloc(0) must return (default: ${D.malloc0})` })
    .option('realloc0', { type: 'string', choices: ['any', 'free', 'minimal'], describe: `what realloc(p, 0) must do (default: ${D.realloc0})` })
    .option('check-heap', { type: 'boolean', describe: "call your allocator's check() after every operation (debug mode)" })
    .option('limit', { type: 'number', describe: `heap limit in bytes (default ${D.heapLimit}, ${D.heapLimit / 2 ** 20} MiB)` })
    .option('seed', { type: 'number', describe: 'seed for heap bases and random checks (default 1)' })
    .check((args) => {
      const a = args as CheckerArgs & { 'call-timeout'?: number; jobs?: number };
      const bad = (name: string, v: unknown, what: string): never => {
        throw new UsageError(`--${name} must be ${what}, got ${String(v)}`);
      };
      if (a.limit !== undefined && !(Number.isInteger(a.limit) && a.limit >= 0 && a.limit <= 2 ** 31)) bad('limit', a.limit, 'a whole number of bytes from 0 to 2147483648 (e.g. --limit 67108864 for 64 MiB)');
      if (a.seed !== undefined && !(Number.isInteger(a.seed) && a.seed >= 0)) bad('seed', a.seed, 'a non-negative whole number');
      if (a['call-timeout'] !== undefined && !(Number.isFinite(a['call-timeout']) && a['call-timeout'] >= 10)) bad('call-timeout', a['call-timeout'], 'a number of milliseconds, at least 10');
      if (a.jobs !== undefined && !(Number.isInteger(a.jobs) && a.jobs >= 1)) bad('jobs', a.jobs, 'a whole number, at least 1');
      return true;
    }) as Argv<T & CheckerArgs>;
}

export function checkerFromArgs(args: CheckerArgs): Partial<CheckerOptions> {
  return {
    alignment: args.alignment as 8 | 16 | undefined,
    malloc0: args.malloc0 as CheckerOptions['malloc0'] | undefined,
    realloc0: args.realloc0 as CheckerOptions['realloc0'] | undefined,
    checkHeap: args['check-heap'],
  };
}
