/**
 * One graded child's OS confinement, prepared by the (trusted) parent:
 * a cgroup (memory of all its processes, number of processes), bubblewrap
 * (see harness/bwrap/args.ts) and an unprivileged user, each as far as this machine
 * allows, and a plain record of which of them were in force. The child runs
 * as `launch.sh <cgroup procs> -- [setpriv to nobody] [bwrap ...] <command>`.
 *
 * `required` (batch and gradescope on Linux) fails with what to install or
 * enable; `auto` warns once and goes on with what is available (a student's
 * macOS laptop, a hosted grader whose container refuses namespaces: there
 * the container is the boundary); `off` is the unconfined child of old.
 */
import { chmodSync, chownSync, copyFileSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../util/errors.ts';
import { FROM_SOURCE } from '../util/kit-entry.ts';
import { bwrapArgs, kitEntries } from '../bwrap/args.ts';
import { createCgroup, type CgroupLimits } from './cgroup.ts';
import { findExecutable, NOBODY, probeSandbox, type SandboxMode } from '../bwrap/probe.ts';
import { UNPROTECTED, type Protections } from './protections.ts';
import { reachableByOthers, stageRoot } from './stage-root.ts';

export { SANDBOX_MODES, type SandboxMode } from '../bwrap/probe.ts';

const LAUNCH = fileURLToPath(new URL('./launch.sh', import.meta.url));
/** The package folder: harness/sandbox/../.. in the sources, dist/harness/sandbox/../../.. compiled. */
export const KIT_ROOT = fileURLToPath(new URL(FROM_SOURCE ? '../../' : '../../../', import.meta.url)).replace(/\/$/, '');

export interface SandboxRequest {
  mode: SandboxMode;
  memoryMb: number;
  /** Processes and threads of the whole child (node alone runs ~15 threads, each check worker ~10). @default 512 */
  pidsMax?: number;
  /** Read-only, at the same path: the submission, the configuration file. */
  readOnly: string[];
  /** Folders that must stay invisible even when under a bound one (the batch folder, the output folder). */
  hide?: string[];
  /** Files that must stay unreadable even when under a bound folder (the assignment's hidden traces). */
  hideFiles?: string[];
  /** Read-only, at another path: [host, inside]. */
  mapped?: [string, string][];
  /** The child's own files: bwrap sees staged copies of them (in `mapped`); without bwrap it reads them in place. */
  ownFiles?: string[];
}

export interface PreparedSandbox {
  protections: Protections;
  /** The command to run instead of `file args`. */
  command(file: string, args: string[]): { file: string; args: string[] };
  /** A folder the child may write (its TMPDIR outside bwrap, node's fatal-error reports). */
  scratch: string;
  /** The child's TMPDIR, as the child sees it. */
  tmp: string;
  cgroup?: CgroupLimits;
  /** Kills whatever is left in the cgroup and removes it and the scratch folder. */
  close(): Promise<void>;
}

/** For front ends, before any grading starts: `required` and no sandbox here is the user's error, said once. */
export function checkSandboxAvailable(mode: SandboxMode): void {
  if (mode === 'off') return;
  const support = probeSandbox();
  if (mode === 'required' && !support.ok) throw new UsageError(`--sandbox required: ${support.why}. Use --sandbox auto to grade without the OS sandbox (only where a container is the boundary).`);
  // Where the children will not run as nobody, any temp folder will do; else stop here, once, if none can be reached.
  if (process.getuid?.() === 0) stageRoot();
}

let warned = false;
let counter = 0;

export function prepareSandbox(req: SandboxRequest, warn: (m: string) => void = (m) => void process.stderr.write(`${m}\n`)): PreparedSandbox {
  // Unconfined, the child runs as the grader and any temp folder will do.
  const scratch = mkdtempSync(join(req.mode === 'off' ? tmpdir() : stageRoot(), 'heapgrade-child-'));
  const tmp = join(scratch, 'tmp');
  mkdirSync(tmp);
  if (req.mode === 'off') {
    return { protections: { ...UNPROTECTED }, command: (file, args) => ({ file, args }), scratch, tmp, close: async () => rmSync(scratch, { recursive: true, force: true }) };
  }
  const support = probeSandbox();
  const notes: string[] = [];
  if (!support.ok) {
    if (req.mode === 'required') {
      rmSync(scratch, { recursive: true, force: true });
      throw new UsageError(`--sandbox required: ${support.why}. Use --sandbox auto to grade without the OS sandbox (only where a container is the boundary).`);
    }
    if (!warned) {
      warned = true;
      warn(`heapgrade: warning: grading without the OS sandbox: ${support.why}`);
    }
    notes.push(support.why);
  }
  const isRoot = process.getuid?.() === 0;
  const cgroup = isRoot ? createCgroup(`c${process.pid}-${++counter}-${Date.now().toString(36)}`, req.memoryMb, req.pidsMax ?? 512) : undefined;
  if (!cgroup) notes.push('no writable cgroup: memory limited per process (rlimit), process count unlimited');

  // Run as nobody: through bwrap when it works as nobody; without bwrap (a hosted grader that refuses
  // namespaces), through setpriv alone, when nobody can read everything the child must read in place.
  const bareSetpriv = !support.ok && isRoot ? findExecutable('setpriv') : undefined;
  const setpriv = support.ok ? support.setpriv : bareSetpriv && [KIT_ROOT, ...req.readOnly, ...(req.ownFiles ?? [])].every(readableByOthers) ? bareSetpriv : undefined;
  const asNobody = support.ok ? support.user === 'nobody' : setpriv !== undefined;
  const user: Protections['user'] = asNobody ? 'nobody' : isRoot ? 'root' : 'unprivileged';
  if (user === 'root') notes.push('the child runs as root: unprivileged user namespaces are refused here');
  if (asNobody) {
    chownSync(scratch, NOBODY, NOBODY);
    chownSync(tmp, NOBODY, NOBODY);
  }

  const prefix: string[] = [];
  if (cgroup) prefix.push(...cgroup.procs);
  prefix.push('--');
  if (asNobody && setpriv) prefix.push(setpriv, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--inh-caps=-all');
  let innerTmp = tmp;
  if (support.ok) {
    const kit = basename(dirname(KIT_ROOT)) === 'node_modules' ? [dirname(KIT_ROOT)] : kitEntries(KIT_ROOT);
    // bwrap runs as nobody: a kit it cannot reach where it is installed (under a mkdtemp folder, root's
    // /autograder) is bound from a readable copy made once per grading process, at the same path inside.
    const direct = asNobody ? kit.filter(readableByOthers) : kit;
    const staged = kit.filter((p) => !direct.includes(p)).map((p): [string, string] => [stagedKitCopy(p), p]);
    prefix.push(
      support.bwrap,
      ...bwrapArgs({
        readOnly: [...direct, ...req.readOnly],
        readOnlyMapped: staged,
        hide: req.hide ?? [],
        hideFiles: req.hideFiles ?? [],
        writable: [scratch],
        mapped: req.mapped ?? [],
        cwd: '/tmp',
      }),
      '--',
    );
    innerTmp = '/tmp';
  }
  const protections: Protections = {
    osSandbox: support.ok ? 'bubblewrap' : 'none',
    user,
    memoryLimit: cgroup?.kind ?? 'rlimit',
    // A PID namespace ends them all with the child, but does not limit how many: only a cgroup does.
    pids: cgroup?.kind ?? 'none',
    network: support.ok ? 'none' : 'host',
    filesystem: support.ok ? 'kit and own submission, read-only' : 'host',
    ...(notes.length ? { notes } : {}),
  };
  return {
    protections,
    command: (file, args) => ({ file: LAUNCH, args: [...prefix, file, ...args] }),
    scratch,
    tmp: innerTmp,
    cgroup,
    close: async () => {
      cgroup?.killAll();
      await cgroup?.remove();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

let kitStage: string | undefined;
const kitCopies = new Map<string, string>();

/**
 * A copy of one of the kit's paths that the sandbox user can read (folders
 * 0755, files o+r), made once per process and removed when it exits. Files
 * that are already readable by others are hard-linked when the copy is on the
 * same filesystem (node_modules is large), copied otherwise; symbolic links
 * are recreated as they are (node_modules/.bin's are relative).
 */
function stagedKitCopy(path: string): string {
  const known = kitCopies.get(path);
  if (known) return known;
  if (!kitStage) {
    const dir = mkdtempSync(join(stageRoot(), 'heapgrade-kit-stage-'));
    kitStage = dir;
    chmodSync(dir, 0o755);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const copy = join(kitStage, String(kitCopies.size));
  copyOpen(path, copy);
  kitCopies.set(path, copy);
  return copy;
}

function copyOpen(from: string, to: string): void {
  const st = lstatSync(from);
  if (st.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else if (st.isDirectory()) {
    mkdirSync(to);
    chmodSync(to, 0o755);
    for (const n of readdirSync(from)) copyOpen(join(from, n), join(to, n));
  } else if (st.isFile()) {
    if (st.mode & 0o004) {
      try {
        linkSync(from, to);
        return;
      } catch {
        // another filesystem, or links refused: copy below
      }
    }
    copyFileSync(from, to);
    chmodSync(to, st.mode & 0o111 ? 0o755 : 0o644);
  }
}

/** True when a user with no rights of its own can read `path` (o+r, and o+x on every folder down to it). */
function readableByOthers(path: string): boolean {
  try {
    const st = statSync(path);
    return (st.mode & (st.isDirectory() ? 0o005 : 0o004)) !== 0 && reachableByOthers(dirname(path));
  } catch {
    return false;
  }
}
