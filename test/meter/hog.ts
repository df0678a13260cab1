/** Real busy child processes that saturate the machine while a test runs (no timing assertions: the point is that nothing changes). */
import { spawn, type ChildProcess } from 'node:child_process';

export async function withCpuHog<T>(processes: number, fn: () => Promise<T>): Promise<T> {
  const hogs: ChildProcess[] = [];
  for (let i = 0; i < processes; i++) {
    hogs.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  }
  try {
    return await fn();
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
  }
}
