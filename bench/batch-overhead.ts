/**
 * Isolation overhead per submission: the same submission graded in-process
 * (runTests / gradeSubmission) and through gradeIsolated (child process,
 * tsx, limits, IPC), unsandboxed (`--sandbox off`) and inside the OS sandbox
 * (bubblewrap + cgroup + nobody, when this machine has it), sequentially,
 * N times each, interleaved.
 *   node --import tsx bench/batch-overhead.ts [N] [test|grade] [submission]
 */
import { gradeSubmission } from '../harness/grade/grade.ts';
import { gradeIsolated } from '../harness/isolation/run-isolated.ts';
import { runTests } from '../harness/runner/run-tests.ts';
import { probeSandbox } from '../harness/bwrap/probe.ts';

const n = Number(process.argv[2] ?? 10);
const mode = (process.argv[3] ?? 'test') as 'test' | 'grade';
const spec = process.argv[4] ?? 'test/fixtures/batch/subs/pass.ts';
const config = 'test/fixtures/batch/config.json';

const time = async (f: () => Promise<unknown>) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const inProcess: number[] = [];
const isolated: number[] = [];
const sandboxed: number[] = [];
const canSandbox = probeSandbox().ok;
for (let i = 0; i < n; i++) {
  const o = { mode, configPath: mode === 'grade' ? config : undefined, timeoutMs: 120_000, memoryMb: 1024 };
  inProcess.push(await time(() => (mode === 'test' ? runTests(spec) : gradeSubmission(spec, { configPath: config }))));
  isolated.push(await time(() => gradeIsolated(spec, { ...o, sandbox: 'off' })));
  if (canSandbox) sandboxed.push(await time(() => gradeIsolated(spec, { ...o, sandbox: 'required' })));
}
const a = median(inProcess);
const b = median(isolated);
console.log(`${mode} ${spec}, ${n} runs each (median): in-process ${a.toFixed(0)} ms, isolated ${b.toFixed(0)} ms, overhead ${(b - a).toFixed(0)} ms per submission`);
if (canSandbox) {
  const c = median(sandboxed);
  console.log(`sandboxed (bubblewrap, cgroup, nobody) ${c.toFixed(0)} ms: ${(c - b).toFixed(0)} ms more than the unsandboxed child`);
}
