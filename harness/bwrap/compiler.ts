/**
 * A system compiler (`--compiler system`) run on a student's source inside
 * bubblewrap: no network, nothing of the host but /usr (and the compiler's
 * own install folder), the job folder writable, the inputs in it (the
 * submission's files and the kit's headers, copied there by the toolchain)
 * read-only, as `nobody` where the platform allows. So `#include
 * "/etc/passwd"` or of a classmate's file finds nothing, and a compiler bug
 * reached through crafted source cannot write outside the job folder.
 *
 * The mode comes from $HEAPGRADE_COMPILE_SANDBOX (the compile service sets
 * it from the batch's --sandbox): required | auto | off; default auto.
 */
import { chownSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../util/errors.ts';
import { bwrapArgs, isUnder } from './args.ts';
import { findExecutable, NOBODY, probeSandbox, type SandboxMode } from './probe.ts';

export function compileSandboxMode(): SandboxMode {
  const v = process.env.HEAPGRADE_COMPILE_SANDBOX;
  return v === 'required' || v === 'off' ? v : 'auto';
}

/** The command that runs `tool args` in `dir`, confined as far as `mode` and the machine allow. */
export function compilerCommand(tool: string, args: string[], dir: string, inputs: readonly string[], mode = compileSandboxMode()): { file: string; args: string[]; confined: boolean } {
  if (mode === 'off') return { file: tool, args, confined: false };
  const support = probeSandbox();
  if (!support.ok) {
    if (mode === 'required') throw new UsageError(`the system compiler must run in the OS sandbox (--sandbox required): ${support.why}`);
    return { file: tool, args, confined: false };
  }
  const path = findExecutable(tool);
  if (!path) return { file: tool, args, confined: false }; // the tool's own "not found" is the clearer message
  const real = realpathSync(path);
  const prefix = dirname(dirname(real));
  const readOnly = isUnder(real, '/usr') ? [] : [prefix];
  const bw = bwrapArgs({ readOnly, hide: [], writable: [dir], mapped: [], cwd: dir });
  // The inputs, read-only over the writable job folder.
  for (const name of inputs) bw.push('--ro-bind', join(dir, name), join(dir, name));
  const argv = [...bw, '--', real, ...args];
  if (support.user === 'nobody' && support.setpriv) {
    chownSync(dir, NOBODY, NOBODY);
    return { file: support.setpriv, args: [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--inh-caps=-all', support.bwrap, ...argv], confined: true };
  }
  return { file: support.bwrap, args: argv, confined: true };
}
