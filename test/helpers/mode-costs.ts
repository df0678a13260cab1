/**
 * Metered cost per mode of a fixture whose malloc(mode) does one kind of work:
 * the hostile way (through builtins) and its control (plain loops) are
 * compared with these (README "Metering": builtin work costs at least the
 * same loop's steps / BUILTIN_COST_FACTOR).
 */
import { loadSubmission } from '../../harness/loader/load.ts';

export const BUILTIN_COST_FACTOR = 2;

/** The steps of one malloc(mode) call, each on a fresh instance of the submission at `file`. */
export async function modeCosts(file: string, modes: readonly number[]): Promise<Record<number, number>> {
  const sub = await loadSubmission(file);
  const out: Record<number, number> = {};
  for (const mode of modes) {
    const inst = sub.instantiate({ seed: 1, limit: 1 << 20 });
    inst.allocator.malloc(mode);
    out[mode] = inst.heap.meter!.lastCall;
  }
  return out;
}
