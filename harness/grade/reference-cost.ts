/**
 * The reference's metered cost per op on a workload's trace: what a
 * submission's cost is divided into. It is the same number whenever it is
 * made (metered instructions of a fixed module on fixed calls: no clock), so
 * it is made once per process, and for a C reference (or a C `vs`) kept on
 * disk in the compile cache under a key that hashes everything it depends
 * on: the compiled module's own cache key (sources, flags, compiler, kit
 * runtime, metering pass), the trace's operations, the seed and the heap
 * limit. A grade on a machine that graded before skips replaying the
 * reference on every workload (about a sixth of a C grade's CPU). A stored
 * value that cannot be read is made again, never guessed.
 */
import { createHash } from 'node:crypto';
import type { LoadedSubmission } from '../contract/instance.ts';
import { replayRaw } from '../replay/replay.ts';
import { meteredCostPerOp } from '../scoring/cost.ts';
import type { Op } from '../trace/types.ts';
import { hashKey, readCache, writeCache } from '../wasm/cache.ts';
import { packOps } from '../runner/ops-wire.ts';

/** Bumped when what a stored cost means changes (how the reference's calls are replayed or counted). */
const COST_CACHE_VERSION = 'reference-cost-1';

const inProcess = new Map<string, Promise<number>>();

export function referenceCost(reference: LoadedSubmission, ops: readonly Op[], file: string, o: { seed: number; limit: number }): Promise<number> {
  const key = `${reference.spec}\0${file}\0${o.limit}\0${o.seed}`;
  let cost = inProcess.get(key);
  if (!cost) {
    cost = storedOrMetered(reference, ops, o);
    inProcess.set(key, cost);
  }
  return cost;
}

async function storedOrMetered(reference: LoadedSubmission, ops: readonly Op[], o: { seed: number; limit: number }): Promise<number> {
  const key = diskKey(reference, ops, o);
  if (key !== undefined) {
    const hit = await readCache(key, ['cost']);
    const stored = hit ? Number(Buffer.from(hit['cost']!).toString('utf8')) : NaN;
    if (Number.isFinite(stored) && stored >= 0) return stored;
  }
  const cost = metered(reference, ops, o);
  // String(n) reads back as exactly n: a stored cost grades as the metered one.
  if (key !== undefined) await writeCache(key, { cost: Buffer.from(String(cost), 'utf8') });
  return cost;
}

function metered(reference: LoadedSubmission, ops: readonly Op[], o: { seed: number; limit: number }): number {
  const instance = reference.instantiate(o);
  // Only the trace's calls, as in the submission's checked run (not the factory / mm_init).
  const before = instance.heap.meter?.total ?? 0;
  replayRaw(instance, ops);
  return meteredCostPerOp((instance.heap.meter?.total ?? 0) - before, ops.length);
}

/** Only for a compiled C module: its compile key names everything its instructions depend on. */
function diskKey(reference: LoadedSubmission, ops: readonly Op[], o: { seed: number; limit: number }): string | undefined {
  const moduleKey = (reference as { compiled?: { key?: unknown } }).compiled?.key;
  if (reference.language !== 'c' || typeof moduleKey !== 'string') return undefined;
  return hashKey([COST_CACHE_VERSION, moduleKey, `${o.seed}`, `${o.limit}`, opsDigest(ops)]);
}

/** A hash of the calls themselves (kind, id, sizes), whatever file or reading they came from: their packed form (ops-wire.ts), the bytes a lane gets. */
function opsDigest(ops: readonly Op[]): string {
  return createHash('sha256').update(new Uint8Array(packOps(ops).buffer)).digest('hex');
}
