/**
 * What protected one graded child, as plain data: every front end that
 * writes a result (journal, gradebook, per-student files, Gradescope's
 * results.json) carries it, so a TA can see what was in force on the machine
 * that made the grade instead of assuming it.
 */
export interface Protections {
  /** The OS sandbox the child ran in. */
  osSandbox: 'bubblewrap' | 'none';
  /** Who the child's processes ran as, seen from outside the sandbox. */
  user: 'nobody' | 'root' | 'unprivileged';
  /** How its memory was limited: a cgroup counts every process it starts; rlimits are per process. */
  memoryLimit: 'cgroup-v2' | 'cgroup-v1' | 'rlimit';
  /** How the number of its processes (and threads) was limited. */
  pids: 'cgroup-v2' | 'cgroup-v1' | 'none';
  /** `none`: a network namespace with no interfaces. */
  network: 'none' | 'host';
  /** Its view of the filesystem. */
  filesystem: 'kit and own submission, read-only' | 'host';
  /** Why something is weaker than it could be (no bubblewrap, namespaces refused, cgroups read-only). */
  notes?: string[];
}

export const UNPROTECTED: Protections = {
  osSandbox: 'none',
  user: process.getuid?.() === 0 ? 'root' : 'unprivileged',
  memoryLimit: 'rlimit',
  pids: 'none',
  network: 'host',
  filesystem: 'host',
};

/** One line for text reports. */
export function describeProtections(p: Protections): string {
  const parts = [
    `OS sandbox ${p.osSandbox}`,
    `user ${p.user}`,
    `memory limit ${p.memoryLimit}`,
    `process limit ${p.pids}`,
    `network ${p.network}`,
    `filesystem: ${p.filesystem}`,
  ];
  return `protections: ${parts.join(', ')}${p.notes?.length ? ` (${p.notes.join('; ')})` : ''}`;
}
