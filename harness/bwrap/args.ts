/**
 * The bubblewrap command line for one graded child: nothing of the host but
 * the system's programs and libraries (/usr), the Node runtime, the kit and
 * the child's own submission, all read-only; a private /tmp; no network, its
 * own PID namespace (every process it starts dies with it) and session (no
 * terminal injection), and bwrap dies with the grader.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export interface BwrapLayout {
  /** Paths bound read-only at the same place (files or folders), in order. */
  readOnly: string[];
  /** Folders under a read-only path that must not be visible (an empty tmpfs is mounted over them). */
  hide: string[];
  /** Files under a read-only path that must not be readable (/dev/null is bound over them): hidden traces next to the kit. */
  hideFiles?: string[];
  /** Folders bound writable at the same place. */
  writable: string[];
  /** Read-only binds to another place inside: [host path, sandbox path]. */
  mapped: [string, string][];
  /**
   * Read-only binds to another place inside, made right after `readOnly` and
   * hidden from like it: the kit's staged copy when the sandbox user cannot
   * reach the kit where it is installed (a 0700 folder above it).
   */
  readOnlyMapped?: [string, string][];
  cwd: string;
}

/** System folders every process needs; merged-/usr symlinks are recreated as symlinks. */
const SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

export function bwrapArgs(layout: BwrapLayout): string[] {
  const args = ['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--hostname', 'heapgrade'];
  for (const p of SYSTEM) {
    if (!existsSync(p)) continue;
    const st = lstatSync(p);
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(p), p);
    else args.push('--ro-bind', p, p);
  }
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  // The Node runtime, when it is not a system one (nvm, a tarball in /opt).
  const nodePrefix = dirname(dirname(realpathSync(process.execPath)));
  if (!isUnder(nodePrefix, '/usr')) args.push('--ro-bind', nodePrefix, nodePrefix);
  for (const p of layout.readOnly) args.push('--ro-bind', p, p);
  for (const [host, inside] of layout.readOnlyMapped ?? []) args.push('--ro-bind', host, inside);
  const bound = [...layout.readOnly, ...(layout.readOnlyMapped ?? []).map(([, inside]) => inside)];
  for (const p of layout.hide) if (bound.some((r) => isUnder(p, r) && p !== r)) args.push('--tmpfs', p);
  for (const p of layout.hideFiles ?? []) if (bound.some((r) => isUnder(p, r) && p !== r)) args.push('--ro-bind', '/dev/null', p);
  for (const p of layout.writable) args.push('--bind', p, p);
  for (const [host, inside] of layout.mapped) args.push('--ro-bind', host, inside);
  args.push('--chdir', layout.cwd);
  return args;
}

export function isUnder(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

/**
 * The kit's files a child needs: its package folder without its tests (they
 * hold fixtures that are other people's submissions), version control and
 * dot-folders.
 */
export function kitEntries(kitRoot: string): string[] {
  const skip = new Set(['test', 'bench', 'student-template']);
  return readdirSync(kitRoot)
    .filter((n) => !n.startsWith('.') && !skip.has(n))
    .map((n) => join(kitRoot, n));
}
