/**
 * One core per child: `--jobs N` grades on N cores. A child's Node runs more
 * than its JavaScript: V8's compiler and collector threads took about a
 * third of a child's CPU time beside its one check worker (measured:
 * bench/batch-jobs.ts), so N children left to the scheduler spill over
 * their N cores onto the others' and `--jobs 1` used 1.4 cores. Each child
 * that runs on one lane is given one CPU of those this process may use
 * (sched affinity through util-linux's taskset, inherited by all its threads
 * and processes); a child with lanes to spare is not pinned. Where taskset or
 * the CPU list is missing (not Linux), children are not pinned: grading is
 * the same, only the split of the cores is left to the scheduler.
 */
import { readFileSync } from 'node:fs';
import { findExecutable } from '../bwrap/probe.ts';

/** The CPUs this process may run on (Cpus_allowed_list), in order; undefined where the system does not say. */
export function allowedCpus(status = '/proc/self/status'): number[] | undefined {
  let text: string;
  try {
    text = readFileSync(status, 'utf8');
  } catch {
    return undefined;
  }
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(text)?.[1];
  return list === undefined ? undefined : parseCpuList(list);
}

/** "0-3,8,10-11" -> [0, 1, 2, 3, 8, 10, 11]; undefined when malformed. */
export function parseCpuList(list: string): number[] | undefined {
  const cpus: number[] = [];
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let c = from; c <= to; c++) cpus.push(c);
  }
  return cpus.length ? cpus : undefined;
}

/** The CPU for lane `lane` (0-based) of a batch, or undefined when children cannot be pinned here. */
export function cpuForLane(lane: number, cpus = allowedCpus()): number | undefined {
  if (!cpus || !taskset()) return undefined;
  return cpus[lane % cpus.length];
}

let found: string | null | undefined;
const taskset = (): string | undefined => (found ??= findExecutable('taskset') ?? null) ?? undefined;

/** `command` run on `cpu` only (and everything it starts), or unchanged when no CPU is given. */
export function pinned(command: { file: string; args: string[] }, cpu: number | undefined): { file: string; args: string[] } {
  const bin = cpu === undefined ? undefined : taskset();
  return bin === undefined ? command : { file: bin, args: ['-c', String(cpu), command.file, ...command.args] };
}
