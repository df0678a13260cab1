/**
 * Before an isolated child grades a C submission: compile it (and, in grade
 * mode, the C reference it is timed against) in the compile service, so that
 * the child only reads the modules from the shared compile cache. A compile
 * error is the student's `load-failed` with the compiler's message, decided
 * here without starting the child; a compiler that fails for other reasons
 * is the kit's error.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../wasm/cache.ts';
import { C_REFERENCE_SPEC, cSubmissionTarget } from '../loader/c-targets.ts';
import type { Classified } from './classify.ts';
import type { CompileOutcome } from './compile-protocol.ts';
import { CompileService } from './compile-service.ts';
import type { SandboxMode } from '../bwrap/probe.ts';
import type { IsolatedMode } from '../child/messages.ts';

export interface Precompiled {
  /** Set when the run ends here: the submission did not compile, or the kit could not compile. */
  stop?: Classified;
  /** Time spent compiling (or finding the cached module), ms. */
  ms: number;
  /** The compile cache entries the child will read, with the sha256 of each module. */
  modules: { key: string; sha256: string; meta: string }[];
}

/**
 * Compiles what `spec` needs, with `service` (a batch's long-lived one) or a
 * service of its own that is closed before returning. `compiler` is the
 * grading options' choice ('auto' when undefined).
 */
export async function precompileFor(spec: string, mode: IsolatedMode, compiler: string | undefined, service?: CompileService, profile?: string, sandbox?: SandboxMode): Promise<Precompiled> {
  const targets = cTargetsFor(spec, mode);
  if (targets.submission === undefined && targets.kit.length === 0) return { ms: 0, modules: [] };
  const own = service ?? new CompileService({ sandbox });
  let ms = 0;
  const modules: Precompiled['modules'] = [];
  try {
    if (targets.submission !== undefined) {
      const r = await own.compile(targets.submission, compiler, profile);
      ms += r.ms;
      if (r.kind === 'load-failed') return { ms, modules, stop: { outcome: 'load-failed', status: 'fail', detail: r.message } };
      const problem = kitProblem(r, targets.submission);
      if (problem) return { ms, modules, stop: problem };
      if (r.kind === 'compiled') modules.push({ key: r.key, sha256: r.sha256, meta: r.meta });
    }
    for (const target of targets.kit) {
      // The kit's own C allocators are compiled by the default compiler, as the child's loader does.
      const r = await own.compile(target);
      ms += r.ms;
      const problem = r.kind === 'load-failed' ? kitError(`the kit's ${target} did not compile: ${r.message}`) : kitProblem(r, target);
      if (problem) return { ms, modules, stop: problem };
      if (r.kind === 'compiled') modules.push({ key: r.key, sha256: r.sha256, meta: r.meta });
    }
    return { ms, modules };
  } finally {
    if (!service) own.close();
  }
}

const kitError = (detail: string): Classified => ({ outcome: 'kit-error', status: 'error', detail });

function kitProblem(r: CompileOutcome, target: string): Classified | undefined {
  if (r.kind === 'kit-error') return kitError(`the kit could not compile ${target}: ${r.message}`);
  if (r.kind !== 'compiled') return undefined;
  // Without the cached module the limited child would start the compiler itself, and run out of memory.
  if (!existsSync(join(cacheDir(), `${r.key}.wasm`))) {
    return kitError(`the compile cache ${cacheDir()} did not keep the compiled ${target}: make it writable, or set HEAPGRADE_CACHE_DIR to a writable folder`);
  }
  return undefined;
}

/**
 * Everything to compile before grading `spec` in `mode`: the submission, and
 * in grade mode the C reference its throughput is measured against.
 */
export function cTargetsFor(spec: string, mode: IsolatedMode): { submission?: string; kit: string[] } {
  const submission = cSubmissionTarget(spec);
  if (submission === undefined || submission === C_REFERENCE_SPEC) {
    return { kit: submission === undefined ? [] : [C_REFERENCE_SPEC] };
  }
  return { submission, kit: mode === 'grade' ? [C_REFERENCE_SPEC] : [] };
}
