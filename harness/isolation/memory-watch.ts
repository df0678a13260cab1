/**
 * Watches the resident memory of an isolated child by polling
 * /proc/<pid>/status (Linux). RSS counts what the V8 heap flag does not:
 * ArrayBuffers, WebAssembly memory, native allocations. The child is started
 * through a shell (limited-node.sh), so the node process is the shell's child;
 * it is found through /proc/<pid>/task/<pid>/children.
 */
import { readFileSync } from 'node:fs';

export interface MemoryWatch {
  /** Highest RSS seen, in KiB (0 when /proc is not readable). */
  readonly peakKb: number;
  /** True once RSS reached the limit and `onExceed` was called. */
  readonly exceeded: boolean;
  stop(): void;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** RSS in KiB of `pid` and its direct children (the shell and node), or undefined when gone. */
export function readRssKb(pid: number): number | undefined {
  const own = readText(`/proc/${pid}/status`);
  if (own === undefined) return undefined;
  let total = rssOf(own);
  const children = readText(`/proc/${pid}/task/${pid}/children`)?.trim();
  if (children) {
    for (const child of children.split(/\s+/)) {
      const status = readText(`/proc/${child}/status`);
      if (status) total += rssOf(status);
    }
  }
  return total;
}

function rssOf(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) : 0;
}

/** True when this machine lets us watch memory this way. */
export function canWatchMemory(): boolean {
  return readRssKb(process.pid) !== undefined;
}

export function watchMemory(pid: number, limitKb: number, intervalMs: number, onExceed: () => void): MemoryWatch {
  let peakKb = 0;
  let exceeded = false;
  const tick = () => {
    const rss = readRssKb(pid);
    if (rss === undefined) return;
    if (rss > peakKb) peakKb = rss;
    if (!exceeded && rss >= limitKb) {
      exceeded = true;
      onExceed();
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    get peakKb() {
      return peakKb;
    },
    get exceeded() {
      return exceeded;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
