/** Timing helpers for the benchmarks: wall and CPU time, medians. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs fn `times` times; the median wall and CPU milliseconds. */
export function timeMedian(fn: () => void, times: number): { wallMs: number; cpuMs: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < times; i++) {
    const w0 = performance.now();
    const c0 = cpuMs();
    fn();
    cpu.push(cpuMs() - c0);
    wall.push(performance.now() - w0);
  }
  return { wallMs: mid(wall), cpuMs: mid(cpu) };
}

const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export const today = (): string => new Date().toISOString().slice(0, 10);
