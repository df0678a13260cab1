/**
 * Can this machine run a child in bubblewrap, and as whom? Probed once per
 * process by starting a trivial sandbox: first as `nobody` (bwrap itself run
 * through setpriv, which needs unprivileged user namespaces), then as the
 * current user. `--uid` inside a user namespace would still be root outside,
 * so only the setpriv form counts as an unprivileged user.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { SandboxMode } from '../trust/policy.ts';

export type { SandboxMode };
export const SANDBOX_MODES: readonly SandboxMode[] = ['required', 'auto', 'off'];

/** The uid/gid of `nobody` on Debian and most Linux distributions. */
export const NOBODY = 65534;

export type SandboxSupport =
  | { ok: true; bwrap: string; setpriv?: string; user: 'nobody' | 'root' | 'unprivileged' }
  | { ok: false; why: string };

let cached: SandboxSupport | undefined;

export function findExecutable(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/bin', '/usr/sbin']) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

const TRIVIAL = ['--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', 'true'];

export function probeSandbox(): SandboxSupport {
  // $HEAPGRADE_BWRAP: another bwrap (a test stands in a platform that refuses namespaces with /bin/false).
  cached ??= probeWith(process.env.HEAPGRADE_BWRAP ?? findExecutable('bwrap'));
  return cached;
}

/** The probe with a given bwrap (undefined: not installed); not cached. */
export function probeWith(bwrap: string | undefined): SandboxSupport {
  if (process.platform !== 'linux') return { ok: false, why: `bubblewrap runs on Linux only (this is ${process.platform})` };
  if (!bwrap) return { ok: false, why: 'bubblewrap is not installed: apt-get install bubblewrap (Debian/Ubuntu) or dnf install bubblewrap' };
  const setpriv = findExecutable('setpriv');
  if (process.getuid?.() === 0 && setpriv) {
    const r = spawnSync(setpriv, [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', bwrap, ...TRIVIAL], { stdio: 'pipe', timeout: 20_000 });
    if (r.status === 0) return { ok: true, bwrap, setpriv, user: 'nobody' };
  }
  const r = spawnSync(bwrap, TRIVIAL, { stdio: 'pipe', timeout: 20_000 });
  if (r.status === 0) return { ok: true, bwrap, user: process.getuid?.() === 0 ? 'root' : 'unprivileged' };
  const said = String(r.stderr ?? '').trim() || (r.error ? r.error.message : `exit code ${r.status}`);
  return {
    ok: false,
    why:
      `bubblewrap is installed but cannot create namespaces here (${said}). ` +
      'On a hosted grader whose container is the boundary, pass --sandbox auto; elsewhere enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)',
  };
}
