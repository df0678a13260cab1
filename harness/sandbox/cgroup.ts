/**
 * A cgroup per graded child, so that its memory limit counts every process
 * it starts (grandchildren included) and the number of its processes and
 * threads is capped. cgroup v2 where it is the mounted hierarchy with the
 * memory and pids controllers; else v1 (/sys/fs/cgroup/memory and
 * /sys/fs/cgroup/pids); else nothing, and the caller falls back to rlimits
 * and says so. The launcher (launch.sh) writes its own pid into `procs`
 * before it execs the sandbox, so nothing the child runs starts outside.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupLimits {
  kind: 'cgroup-v2' | 'cgroup-v1';
  /** cgroup.procs files the launcher joins. */
  procs: string[];
  /** Highest memory use of the whole group, KiB (0 when the kernel does not say). */
  peakKb(): number;
  /** True when the kernel's OOM killer acted inside the group. */
  oomKilled(): boolean;
  /** CPU time (user+sys) of every process the group ever held, ms; undefined where the kernel does not account it. */
  cpuMs(): number | undefined;
  /** True when a fork or thread creation was refused at the group's process limit. */
  pidsLimitHit(): boolean;
  /** SIGKILL every process still in the group. */
  killAll(): void;
  /** Removes the group (after killAll); best effort. */
  remove(): Promise<void>;
}

const ROOT = process.env.HEAPGRADE_CGROUP_ROOT ?? '/sys/fs/cgroup';

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

const counter = (text: string | undefined, name: string): number => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text ?? '')?.[1] ?? 0);

/** A new cgroup limited to `memoryMb` and `pidsMax`, or undefined when this machine lets us make none. */
export function createCgroup(name: string, memoryMb: number, pidsMax: number): CgroupLimits | undefined {
  sweepStale();
  return tryV2(name, memoryMb, pidsMax) ?? tryV1(name, memoryMb, pidsMax);
}

let swept = false;

/** Groups left by a grader that was killed (named c<its pid>-…): removed once per process when that grader is gone. */
function sweepStale(): void {
  if (swept) return;
  swept = true;
  for (const parent of [join(ROOT, 'heapgrade'), join(ROOT, 'memory', 'heapgrade'), join(ROOT, 'pids', 'heapgrade'), join(ROOT, 'cpuacct', 'heapgrade')]) {
    let names: string[] = [];
    try {
      names = readdirSync(parent);
    } catch {
      continue;
    }
    for (const n of names) {
      const owner = /^c(\d+)-/.exec(n)?.[1];
      if (owner === undefined || existsSync(`/proc/${owner}`)) continue;
      try {
        rmdirSync(join(parent, n)); // refused while a process is still inside: then it is not stale
      } catch {
        // keep it
      }
    }
  }
}

function tryV2(name: string, memoryMb: number, pidsMax: number): CgroupLimits | undefined {
  const controllers = read(join(ROOT, 'cgroup.controllers'));
  if (!controllers || !/\bmemory\b/.test(controllers) || !/\bpids\b/.test(controllers)) return undefined;
  try {
    const parent = join(ROOT, 'heapgrade');
    // The root cgroup may hold processes and still delegate; our parent holds none, so it may too.
    writeFileSync(join(ROOT, 'cgroup.subtree_control'), '+memory +pids');
    mkdirSync(parent, { recursive: true });
    writeFileSync(join(parent, 'cgroup.subtree_control'), '+memory +pids');
    const dir = join(parent, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'memory.max'), String(memoryMb * 1024 * 1024));
    if (existsSync(join(dir, 'memory.swap.max'))) writeFileSync(join(dir, 'memory.swap.max'), '0');
    writeFileSync(join(dir, 'pids.max'), String(pidsMax));
    return {
      kind: 'cgroup-v2',
      procs: [join(dir, 'cgroup.procs')],
      peakKb: () => Math.round(Number(read(join(dir, 'memory.peak')) ?? 0) / 1024),
      oomKilled: () => counter(read(join(dir, 'memory.events')), 'oom_kill') > 0,
      // cpu.stat's usage_usec is kept by every v2 group, with or without the cpu controller.
      cpuMs: () => {
        const usec = /^usage_usec (\d+)/m.exec(read(join(dir, 'cpu.stat')) ?? '')?.[1];
        return usec === undefined ? undefined : Number(usec) / 1000;
      },
      pidsLimitHit: () => counter(read(join(dir, 'pids.events')), 'max') > 0,
      killAll: () => {
        if (existsSync(join(dir, 'cgroup.kill'))) {
          try {
            writeFileSync(join(dir, 'cgroup.kill'), '1');
            return;
          } catch {
            // fall through to one signal per process
          }
        }
        killListed(join(dir, 'cgroup.procs'));
      },
      remove: () => removeDirs([dir]),
    };
  } catch {
    return undefined;
  }
}

function tryV1(name: string, memoryMb: number, pidsMax: number): CgroupLimits | undefined {
  const memRoot = join(ROOT, 'memory');
  const pidsRoot = join(ROOT, 'pids');
  if (!existsSync(join(memRoot, 'cgroup.procs')) || !existsSync(join(pidsRoot, 'cgroup.procs'))) return undefined;
  const mem = join(memRoot, 'heapgrade', name);
  const pids = join(pidsRoot, 'heapgrade', name);
  // CPU accounting is a figure, not a limit: a machine without the cpuacct hierarchy grades the same, without it.
  const acctRoot = join(ROOT, 'cpuacct');
  let acct: string | undefined = existsSync(join(acctRoot, 'cgroup.procs')) ? join(acctRoot, 'heapgrade', name) : undefined;
  try {
    mkdirSync(mem, { recursive: true });
    mkdirSync(pids, { recursive: true });
    writeFileSync(join(mem, 'memory.limit_in_bytes'), String(memoryMb * 1024 * 1024));
    try {
      // Memory + swap: without it the group could swap instead of hitting the limit (absent when swap accounting is off).
      writeFileSync(join(mem, 'memory.memsw.limit_in_bytes'), String(memoryMb * 1024 * 1024));
    } catch {
      // no swap accounting on this kernel
    }
    writeFileSync(join(pids, 'pids.max'), String(pidsMax));
  } catch {
    void removeDirs([mem, pids]);
    return undefined;
  }
  if (acct) {
    try {
      mkdirSync(acct, { recursive: true });
    } catch {
      acct = undefined;
    }
  }
  const groups = [mem, pids, ...(acct ? [acct] : [])];
  return {
    kind: 'cgroup-v1',
    procs: groups.map((g) => join(g, 'cgroup.procs')),
    peakKb: () => Math.round(Number(read(join(mem, 'memory.max_usage_in_bytes')) ?? 0) / 1024),
    oomKilled: () => counter(read(join(mem, 'memory.oom_control')), 'oom_kill') > 0,
    cpuMs: () => {
      const ns = acct === undefined ? undefined : read(join(acct, 'cpuacct.usage'));
      return ns === undefined ? undefined : Number(ns) / 1e6;
    },
    pidsLimitHit: () => counter(read(join(pids, 'pids.events')), 'max') > 0,
    killAll: () => {
      for (const g of groups) killListed(join(g, 'cgroup.procs'));
    },
    remove: () => removeDirs(groups),
  };
}

function killListed(procsFile: string): void {
  for (const pid of (read(procsFile) ?? '').split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** rmdir fails while a killed process is still exiting: retry briefly. */
async function removeDirs(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    for (let attempt = 0; attempt < 50 && existsSync(dir); attempt++) {
      try {
        rmdirSync(dir);
      } catch {
        killListed(join(dir, 'cgroup.procs'));
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
}
