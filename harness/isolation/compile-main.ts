/**
 * The compile service's process (started by compile-service.ts under tsx):
 * compiles C submissions one request at a time into the shared compile cache
 * and answers with the cache key. No submission code runs here, only the
 * compiler on the submission's text, so its answers are trusted; the parent
 * still limits its time and memory, because source text can make a compiler
 * run long (macro expansion).
 */
import { createHash } from 'node:crypto';
import { C_REFERENCE_ALLOCATORS } from '../../reference/c/index.ts';
import { LoadError, toError } from '../util/errors.ts';
import { compileC } from '../wasm/compile.ts';
import { compileProfileOf } from '../wasm/compile-profile.ts';
import { detectSubmissionProfile } from '../config/for-submission.ts';
import type { CompilerChoice } from '../wasm/toolchain.ts';
import type { CompileReply, CompileRequest } from './compile-protocol.ts';

const send = process.send?.bind(process);
if (!send) {
  process.stderr.write('heapgrade: compile-main.ts must be started by the compile service (no IPC channel)\n');
  process.exit(70);
}
// The grader went away: nothing left to compile for.
process.on('disconnect', () => process.exit(0));
process.on('message', (request: CompileRequest) => {
  void answer(request).then((reply) => send!(reply));
});

async function answer(r: CompileRequest): Promise<CompileReply> {
  const started = Date.now();
  try {
    // `auto` is decided from the submission's sources, as the grading child decides it (config/for-submission.ts).
    const setting = r.profile === 'auto' ? (await detectSubmissionProfile(r.target)).profile : r.profile;
    const profile = r.target.startsWith('ref:') ? undefined : compileProfileOf(setting);
    const compiled = await compileC(sourceOf(r.target), { compiler: r.compiler as CompilerChoice | undefined, ...(profile ? { profile } : {}) });
    const { api, warnings, staticData, compiler } = compiled;
    const meta = JSON.stringify({ api, warnings, staticData, compiler });
    const sha256 = createHash('sha256').update(compiled.wasm).digest('hex');
    return { id: r.id, kind: 'compiled', key: compiled.key, cached: compiled.cached !== false, ms: Date.now() - started, sha256, meta };
  } catch (e) {
    const err = toError(e);
    return { id: r.id, kind: e instanceof LoadError ? 'load-failed' : 'kit-error', message: err.message, ms: Date.now() - started };
  }
}

/** A built-in (`ref:reference-c`) compiles from the same file its registry entry loads. */
function sourceOf(target: string): string {
  if (!target.startsWith('ref:')) return target;
  const file = C_REFERENCE_ALLOCATORS.find((a) => `ref:${a.name}` === target)?.files[0];
  if (file === undefined) throw new Error(`${target} is not a C built-in with a source file`);
  return file;
}
