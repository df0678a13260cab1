/**
 * CPU time of a process tree, from /proc (Linux): what a compile really cost,
 * which a busy machine cannot move the way it moves the wall clock. A
 * process's own user+system time, plus what its children that have ended
 * used (cutime/cstime), plus the live descendants' own time (a system clang
 * under bubblewrap is a grandchild).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports /proc times in USER_HZ, which is 100 on every architecture Node runs on. */
const TICK_MS = 10;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** utime, stime, cutime, cstime of one process in ticks, or undefined when it is gone. */
function times(pid: number): { own: number; ended: number } | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { own: Number(f[11]) + Number(f[12]), ended: Number(f[13]) + Number(f[14]) };
}

function children(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  // A child belongs to the thread that forked it: every thread's list is read.
  return tasks.flatMap((t) => (read(`/proc/${pid}/task/${t}/children`)?.trim().split(/\s+/) ?? []).filter((s) => s !== '').map(Number));
}

/** CPU time (ms) used so far by `pid` and all its descendants, or undefined when /proc cannot say. */
export function treeCpuMs(pid: number): number | undefined {
  const root = times(pid);
  if (root === undefined) return undefined;
  let ticks = root.own + root.ended;
  const seen = new Set([pid]);
  const todo = children(pid);
  while (todo.length > 0) {
    const p = todo.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    const t = times(p);
    if (t === undefined) continue;
    // Its ended children are in its cutime/cstime, not yet in anyone's above it: counted once, here.
    ticks += t.own + t.ended;
    todo.push(...children(p));
  }
  return ticks * TICK_MS;
}
