import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { evaluateConfined, type ConfinedBundle, type ConfineOptions } from '../confine/compartment.ts';
import type { OutputSink } from '../confine/output.ts';
import type { AllocatorInstance, InstanceOptions, LoadedSubmission, OffHeapFinding } from '../contract/instance.ts';
import type { Allocator, AllocatorFactory } from '../contract/types.ts';
import { createHeapPort } from '../heap/heap-port.ts';
import { SegfaultError } from '../heap/segfault.ts';
import { SimHeap } from '../heap/sim-heap.ts';
import { LoadError } from '../util/errors.ts';
import { BudgetExceededError, LOAD_STEP_BUDGET } from '../meter/budget.ts';
import { InstanceMeter, STEP_METER } from '../meter/step-meter.ts';
import { meteringOptions } from '../confine/metering.ts';
import { OFF_HEAP_LEDGER, type InstanceAccount, type OffHeapTally } from '../offheap/ledger.ts';

const METHODS = ['malloc', 'free', 'calloc', 'realloc'] as const;

/** Picks the factory out of a module: default export, or named `createAllocator`. */
export function factoryFrom(mod: Record<string, unknown>, file: string): AllocatorFactory {
  const candidate = typeof mod.default === 'function' ? mod.default : mod.createAllocator;
  if (typeof candidate === 'function') return candidate as AllocatorFactory;
  const found = Object.keys(mod).length ? `it exports ${Object.keys(mod).map((k) => `\`${k}\``).join(', ')}` : 'it exports nothing';
  const what = mod.default !== undefined ? `its default export is a ${typeof mod.default}, not a function; ` : '';
  throw new LoadError(
    `${file}: no allocator factory found (${what}${found}).\n` +
      'Fix: export the factory, e.g. `export default function createAllocator(heap: Heap): Allocator { ... }`',
  );
}

/**
 * Wraps a factory as a LoadedSubmission: each instance gets a fresh SimHeap.
 * With `output` (a confined module's print sink), instances hand out what
 * the module printed, and the heap port is hardened (deep-frozen) because
 * the factory lives in a compartment.
 */
export function submissionFromFactory(spec: string, factory: AllocatorFactory, output?: OutputSink, atLoad: OffHeapTally = { bytes: 0 }): LoadedSubmission {
  return {
    spec,
    language: 'ts',
    instantiate(options: InstanceOptions): AllocatorInstance {
      const heap = new SimHeap({ seed: options.seed, limit: options.limit });
      // Every call into the allocator (the factory included) is metered against the per-call step budget.
      const meter = new InstanceMeter(heap.stats);
      heap.meter = meter;
      const port = createHeapPort(heap);
      // Confined, the port is hardened and the kit's: the ledger never walks it as the allocator's.
      if (output) OFF_HEAP_LEDGER.exclude(harden(port));
      // What the factory makes outside the heap (typed arrays, arrays, Maps) is counted: offheap/ledger.ts. So is what
      // reading the methods makes: the student's object may have getters (metered like any call).
      const made = OFF_HEAP_LEDGER.measure(() => {
        let made: Allocator;
        try {
          made = meter.call(() => factory(port));
        } catch (e) {
          const why = e instanceof SegfaultError ? e.message : `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`;
          throw new LoadError(`${spec}: the allocator factory threw while initialising the heap: ${why}`, { cause: e });
        }
        const methods = made as unknown as Record<string, unknown>;
        const read = meter.call(() => ({ missing: METHODS.filter((m) => typeof methods?.[m] !== 'function'), hasCheck: typeof methods?.check === 'function' }));
        return { allocator: made, ...read };
      });
      const { allocator, missing, hasCheck } = made.value;
      const madeOffHeap = made.tally;
      if (missing.length) {
        throw new LoadError(
          `${spec}: the object the factory returned has no ${missing.map((m) => `\`${m}\``).join(', ')} method(s).\n` +
            'Fix: return an object with malloc(size), free(ptr), calloc(count, size) and realloc(ptr, size).',
        );
      }
      // Every call of the instance is a phase of the ledger: what it makes (a table made by the 5000th malloc) counts too.
      const account = OFF_HEAP_LEDGER.openAccount(atLoad, madeOffHeap);
      const metered = meteredAllocator(allocator, meter, account, hasCheck);
      const offHeapFinding = (): OffHeapFinding | null => {
        OFF_HEAP_LEDGER.review(account); // the last call's items, and what calls filled in of load's and the factory's
        return account.finding;
      };
      return output ? { heap, allocator: metered, madeOffHeap, offHeapFinding, takeOutput: () => output.take() } : { heap, allocator: metered, madeOffHeap, offHeapFinding };
    },
  };
}

export interface TsLoadOptions extends ConfineOptions {
  /**
   * Evaluate in an SES compartment after lockdown(). Trusted callers only:
   * never derived from a submission or its configuration. @default true
   */
  confine?: boolean;
  /**
   * The submission already bundled by the thread that started this one
   * (`preparedBundle`): a worker then needs neither esbuild nor its service
   * process. Trusted callers only, like every load option.
   */
  bundle?: ConfinedBundle;
}

export async function loadTsSubmission(spec: string, entry: string, options: TsLoadOptions = {}): Promise<LoadedSubmission> {
  if (options.confine !== false) {
    // esbuild is imported only where a bundle is made: check and trace workers are handed theirs.
    const given = options.bundle?.entry === resolve(entry) ? options.bundle : undefined;
    const bundle = given ?? (await (await import('./bundle-ts.ts')).bundleTsConfined(entry, spec));
    return confinedSubmission(spec, bundle, options);
  }
  const bundled = await (await import('./bundle-ts.ts')).bundleTs(entry, { ownFilesOf: spec });
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(bundled).href)) as Record<string, unknown>;
  } catch (e) {
    throw new LoadError(`${spec}: loading the module threw: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
  return submissionFromFactory(spec, factoryFrom(mod, spec));
}

/** Evaluates the bundle in a compartment; what the module makes meanwhile is counted for the off-heap rule. */
function confinedSubmission(spec: string, bundle: ConfinedBundle, options: ConfineOptions): LoadedSubmission {
  // The step meter's transform and endowment come first: no code the compartment evaluates escapes them.
  // Made for each compartment: the transform tells the kit's wrapper, evaluated first, from later sources.
  const confined = meteringOptions(options, spec);
  // Evaluating the module and reading its exports (esbuild's exports are getters) run student code: metered too.
  // The typed arrays, arrays and collections it makes meanwhile are counted (offheap/ledger.ts).
  let loaded: { value: { mod: ReturnType<typeof evaluateConfined>; factory: AllocatorFactory }; tally: OffHeapTally };
  try {
    loaded = OFF_HEAP_LEDGER.measure(
      () =>
        STEP_METER.run(LOAD_STEP_BUDGET, null, () => {
          const m = evaluateConfined(spec, bundle, confined);
          return { mod: m, factory: factoryFrom(m.exports, spec) };
        }).value,
    );
  } catch (e) {
    if (!(e instanceof BudgetExceededError)) throw e;
    throw new LoadError(`${spec}: loading the module did not finish: its top-level code ${e.message} (an endless loop at the top level of the module?)`, { cause: e });
  }
  const { mod, factory } = loaded.value;
  // Top-level prints belong to no run: kept apart, so a check's output (often its repro's) never loses them.
  const loadOutput = mod.output.take();
  return {
    ...submissionFromFactory(spec, factory, mod.output, loaded.tally),
    ...(loadOutput ? { loadOutput } : {}),
    madeAtLoad: loaded.tally,
    reloadable: { sourceBytes: bundle.code.length, reload: () => confinedSubmission(spec, bundle, options) },
  };
}

/**
 * The allocator the checker calls: each method runs under the meter, which
 * turns an exhausted budget into a BudgetExceededError whatever the student
 * code did with the meter's own exception. The student's object stays
 * behind it; the checker never touches it directly.
 */
function meteredAllocator(a: Allocator, meter: InstanceMeter, account: InstanceAccount, hasCheck: boolean): Allocator {
  const ledger = OFF_HEAP_LEDGER;
  // Each call starts the ledger's phase for this instance (offheap/ledger.ts): what it makes counts in its account.
  const wrapped: Allocator = {
    malloc: (size) => {
      ledger.enter(account, 'malloc', size, 0);
      return meter.call(() => a.malloc(size));
    },
    free: (ptr) => {
      ledger.enter(account, 'free', ptr, 0);
      return meter.call(() => a.free(ptr));
    },
    calloc: (count, size) => {
      ledger.enter(account, 'calloc', count, size);
      return meter.call(() => a.calloc(count, size));
    },
    realloc: (ptr, size) => {
      ledger.enter(account, 'realloc', ptr, size);
      return meter.call(() => a.realloc(ptr, size));
    },
  };
  // check() is the student's own consistency check (a Set of the blocks it saw is normal there): outside the ledger.
  if (hasCheck) {
    wrapped.check = () => {
      ledger.settle();
      return meter.call(() => a.check!());
    };
  }
  return wrapped;
}
