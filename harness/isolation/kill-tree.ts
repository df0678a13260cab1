/**
 * execa signals only its direct child; an isolated run is a shell, node, and
 * whatever they started (esbuild, worker processes), all in one process group
 * because the child is spawned with `detached: true`. Killing the negative pid
 * ends the whole group. Live groups are remembered so that the grader, when it
 * exits or is interrupted, leaves no orphans behind.
 */
const live = new Set<number>();
let hooked = false;

export function killTree(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function trackGroup(pid: number): () => void {
  live.add(pid);
  if (!hooked) {
    hooked = true;
    process.once('exit', killAll);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(sig, () => {
        killAll();
        // Default behaviour after cleanup: die of the same signal.
        process.kill(process.pid, sig);
      });
    }
  }
  return () => live.delete(pid);
}

function killAll(): void {
  for (const pid of live) killTree(pid);
  live.clear();
}
