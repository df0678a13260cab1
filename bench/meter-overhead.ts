/**
 * What metering costs: a raw replay of a workload, metered vs not, on fresh
 * instances (median CPU time of N replays after a warm-up), and the largest
 * single call of the suite's workloads in metered units (how far the default
 * step budgets are from what real allocators need).
 *
 *   HEAPGRADE_CACHE_DIR=$(mktemp -d) npx tsx bench/meter-overhead.ts [runs]
 *
 * (A fresh cache dir: the C side needs the module as linked, before the pass,
 * which only a fresh compile has.)
 */
import { bundleTsConfined } from '../harness/loader/bundle-ts.ts';
import { evaluateConfined } from '../harness/confine/compartment.ts';
import { factoryFrom, submissionFromFactory } from '../harness/loader/load-ts.ts';
import { meteringOptions } from '../harness/confine/metering.ts';
import { STEP_METER } from '../harness/meter/step-meter.ts';
import { instrumentModule } from '../harness/meter/wasm-pass.ts';
import { compileC } from '../harness/wasm/compile.ts';
import { fromCompiled } from '../harness/wasm/load.ts';
import { replayRaw } from '../harness/replay/replay.ts';
import { readTraceFile } from '../harness/trace/parse.ts';
import { planWorkloads } from '../harness/config/workloads.ts';
import { DEFAULT_CONFIG } from '../harness/config/defaults.ts';
import { WORKLOADS } from '../suites/workloads/index.ts';
import type { LoadedSubmission } from '../harness/contract/instance.ts';
import type { Op } from '../harness/trace/types.ts';
import { REFERENCE_ALLOCATORS } from '../reference/index.ts';
import { C_REFERENCE_ALLOCATORS } from '../reference/c/index.ts';

const runs = Number(process.argv[2] ?? 7);
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function time(sub: LoadedSubmission, ops: readonly Op[]): number {
  replayRaw(sub.instantiate({ seed: 1, limit: 64 << 20 }), ops); // warm-up
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const inst = sub.instantiate({ seed: 1, limit: 64 << 20 });
    const t0 = cpu();
    replayRaw(inst, ops);
    t.push(cpu() - t0);
  }
  return median(t);
}

async function tsPair(name: string): Promise<[LoadedSubmission, LoadedSubmission]> {
  const ref = REFERENCE_ALLOCATORS.find((r) => r.name === name)!;
  const bundle = await bundleTsConfined(ref.file);
  const make = (metered: boolean): LoadedSubmission =>
    STEP_METER.run(1e9, null, () => {
      const m = evaluateConfined(`ref:${name}`, bundle, metered ? meteringOptions({}, name) : {});
      return submissionFromFactory(`ref:${name}`, factoryFrom(m.exports, name), m.output);
    }).value;
  return [make(false), make(true)];
}

async function cPair(name: string): Promise<[LoadedSubmission, LoadedSubmission]> {
  const ref = C_REFERENCE_ALLOCATORS.find((r) => r.name === name)!;
  const compiled = await compileC(ref.files);
  if (!compiled.linked) throw new Error('run with a fresh HEAPGRADE_CACHE_DIR: the linked module is only kept on a fresh compile');
  const plainWasm = instrumentModule(compiled.linked, { charge: false }).wasm;
  const plain = { ...compiled, wasm: plainWasm, module: new WebAssembly.Module(plainWasm as Uint8Array<ArrayBuffer>) };
  return [fromCompiled(`ref:${name} (plain)`, plain, {}, false), fromCompiled(`ref:${name}`, compiled, {}, false)];
}

// C first: the compiler's runtime cannot load once the TypeScript side has locked the realm down.
const cRef = await cPair('reference-c');
const plan = planWorkloads(DEFAULT_CONFIG, WORKLOADS, process.cwd()).filter((w) => ['binary', 'random-churn', 'tiny-blocks', 'python-wordfreq', 'huge-blocks'].includes(w.name));
const traces = await Promise.all(plan.map(async (w) => ({ name: w.name, ops: (await readTraceFile(w.file)).ops })));
console.log('| allocator | workload | ops | plain ms | metered ms | overhead |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const [label, pair] of [
  ['ref:reference (TS, compartment)', await tsPair('reference')],
  ['ref:first-fit (TS, compartment)', await tsPair('first-fit')],
  ['ref:reference-c (C)', cRef],
] as const) {
  for (const t of traces) {
    const a = time(pair[0], t.ops);
    const b = time(pair[1], t.ops);
    console.log(`| ${label} | ${t.name} | ${t.ops.length} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${((b / a - 1) * 100).toFixed(0)} % |`);
  }
}

console.log('\n| allocator | worst single call on these workloads | default budget | share |');
console.log('| --- | ---: | ---: | ---: |');
for (const [label, sub, budget] of [
  ['ref:reference', (await tsPair('reference'))[1], DEFAULT_CONFIG.stepBudget.ts],
  ['ref:first-fit', (await tsPair('first-fit'))[1], DEFAULT_CONFIG.stepBudget.ts],
  ['ref:naive', (await tsPair('naive'))[1], DEFAULT_CONFIG.stepBudget.ts],
  ['ref:reference-c', cRef[1], DEFAULT_CONFIG.stepBudget.c],
] as const) {
  let worst = 0;
  for (const t of traces) {
    const inst = sub.instantiate({ seed: 1, limit: 64 << 20 });
    replayRaw(inst, t.ops);
    worst = Math.max(worst, inst.heap.meter!.maxCall);
  }
  console.log(`| ${label} | ${worst} | ${budget} | ${((worst / budget) * 100).toFixed(4)} % |`);
}
