/** The pure parts of isolation and batch: channel judging, classification, tamper fingerprints, which C to precompile, CSV, shards, journal. */
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvField, csvRow } from '../../harness/batch/csv.ts';
import { JournalWriter, readJournal } from '../../harness/batch/journal.ts';
import { parseShard, selectShard } from '../../harness/batch/shard.ts';
import { cTargetsFor } from '../../harness/isolation/precompile.ts';
import { classify, type Observation } from '../../harness/isolation/classify.ts';
import { diffFingerprints, takeFingerprint } from '../../harness/child/intrinsics.ts';
import { judgeChannel } from '../../harness/isolation/protocol.ts';
import { RESULT_VERSION, type TestReport } from '../../harness/report/types.ts';

const NONCE = 'secret-nonce';
const report: TestReport = { version: RESULT_VERSION, kind: 'test', submission: 's', status: 'pass', checks: [], durationMs: 1 };
const ready = { kind: 'ready', nonce: NONCE, pid: 1 };
const result = { kind: 'result', nonce: NONCE, report };
const limits = { cpuLimitMs: 1000, wallBackstopMs: 4000, memoryMb: 256, pollMs: 20 };
const clean: Observation = {
  verdict: { kind: 'final', message: { kind: 'result', nonce: NONCE, report } },
  heapOutOfMemory: false,
  exitCode: 0,
  spawnFailed: false,
};

describe('judgeChannel', () => {
  it('accepts exactly ready then one final message with the nonce', () => {
    expect(judgeChannel([ready, result], NONCE)).toStrictEqual({ kind: 'final', message: result });
  });
  it.each([
    ['a wrong nonce', [ready, { ...result, nonce: 'guessed' }]],
    ['an extra message', [ready, result, result]],
    ['a forged first message', [{ kind: 'ready', nonce: 'x' }, result]],
    ['a malformed report', [ready, { ...result, report: { status: 'pass' } }]],
    ['a report with a made-up status', [ready, { ...result, report: { ...report, status: 'perfect' } }]],
  ])('calls %s forged', (_, messages) => {
    expect(judgeChannel(messages, NONCE).kind).toBe('forged');
  });
  it('tells silence (the kit never started) from a stop after ready', () => {
    expect(judgeChannel([], NONCE).kind).toBe('silent');
    expect(judgeChannel([ready], NONCE).kind).toBe('ready-only');
  });
});

describe('classify', () => {
  it('grades a clean run by its report', () => {
    expect(classify(clean, limits)).toMatchObject({ outcome: 'graded', status: 'pass', report });
  });
  it.each<[string, Partial<Observation>, string, string]>([
    ['its CPU-time limit', { stoppedBy: 'cpu', cpuMs: 1020, signal: 'SIGKILL', exitCode: undefined }, 'timeout', 'fail'],
    ['the wall-clock backstop under its CPU limit', { stoppedBy: 'wall', cpuMs: 300, signal: 'SIGKILL', exitCode: undefined }, 'kit-error', 'error'],
    ['the CPU rlimit backstop', { signal: 'SIGXCPU', exitCode: undefined }, 'timeout', 'fail'],
    ['the memory watch', { stoppedBy: 'memory', signal: 'SIGKILL' }, 'out-of-memory', 'fail'],
    ['a V8 heap OOM report', { heapOutOfMemory: true, signal: 'SIGABRT' }, 'out-of-memory', 'fail'],
    ['too much output', { stoppedBy: 'output', signal: 'SIGKILL' }, 'output-limit', 'fail'],
    ['a signal', { signal: 'SIGSEGV', exitCode: undefined }, 'crashed', 'fail'],
    ['an exit before the final message', { verdict: { kind: 'ready-only' } }, 'exited', 'fail'],
    ['a non-zero exit after the result', { exitCode: 1 }, 'exited', 'fail'],
    ['a forged channel', { verdict: { kind: 'forged', why: 'x' } }, 'tampered', 'fail'],
    ['a silent child', { verdict: { kind: 'silent' }, exitCode: 1 }, 'kit-error', 'error'],
    ['a silent child stopped by the wall clock', { verdict: { kind: 'silent' }, stoppedBy: 'wall' }, 'kit-error', 'error'],
    ['a silent child over its CPU limit (the kit never started the submission)', { verdict: { kind: 'silent' }, stoppedBy: 'cpu', cpuMs: 1020 }, 'kit-error', 'error'],
    ['a spawn failure', { spawnFailed: true }, 'kit-error', 'error'],
  ])('classifies %s', (_, change, outcome, status) => {
    expect(classify({ ...clean, ...change }, limits)).toMatchObject({ outcome, status });
    expect(classify({ ...clean, ...change }, limits).report).toBeUndefined();
  });
  it('never trusts a result that came with a signal', () => {
    expect(classify({ ...clean, signal: 'SIGTERM' }, limits).outcome).toBe('crashed');
  });
});

describe('tamper fingerprint', () => {
  it('is stable when nothing changes', () => {
    expect(diffFingerprints(takeFingerprint(), takeFingerprint())).toStrictEqual([]);
  });
  it('names overwritten, added and replaced built-ins', () => {
    const before = takeFingerprint();
    const stringify = JSON.stringify;
    const send = process.send;
    try {
      JSON.stringify = () => '{}';
      Object.defineProperty(Object.prototype, 'pwned', { value: 1, configurable: true });
      (process as { send?: unknown }).send = () => true;
      expect(diffFingerprints(before, takeFingerprint())).toStrictEqual(['JSON.stringify', 'process.send', 'Object.prototype.pwned (added)']);
    } finally {
      JSON.stringify = stringify;
      delete (Object.prototype as Record<string, unknown>).pwned;
      (process as { send?: unknown }).send = send;
    }
    expect(diffFingerprints(before, takeFingerprint())).toStrictEqual([]);
  });
  // In the grading child process.emit is inherited (EventEmitter.prototype); the test runner may have its own, so set it aside.
  const asInChild = (fn: () => void): void => {
    const own = Object.getOwnPropertyDescriptor(process, 'emit');
    if (own) delete (process as unknown as Record<string, unknown>).emit;
    try {
      fn();
    } finally {
      delete (process as unknown as Record<string, unknown>).emit;
      if (own) Object.defineProperty(process, 'emit', own);
    }
  };
  it('accepts an inherited process function put back by assignment (what signal-exit does for execa)', () => {
    asInChild(() => {
      const before = takeFingerprint();
      (process as unknown as Record<string, unknown>).emit = EventEmitter.prototype.emit; // the same function, now an own property
      expect(diffFingerprints(before, takeFingerprint())).toStrictEqual([]);
    });
  });
  it('names a process function replaced further up the prototype chain', () => {
    asInChild(() => {
      const before = takeFingerprint();
      const emit = EventEmitter.prototype.emit;
      try {
        EventEmitter.prototype.emit = function (this: EventEmitter, ...args: Parameters<typeof emit>) {
          return emit.apply(this, args);
        };
        expect(diffFingerprints(before, takeFingerprint())).toStrictEqual(['process.emit']);
      } finally {
        EventEmitter.prototype.emit = emit;
      }
    });
  });
});

describe('cTargetsFor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heapgrade-ctargets-'));
  const file = (name: string): string => {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '');
    return path;
  };
  it('finds a .c file and a folder of .c files, with the C reference in grade mode', () => {
    const mm = file('alice.c');
    file('carol/mm.c');
    expect(cTargetsFor(mm, 'test')).toStrictEqual({ submission: mm, kit: [] });
    expect(cTargetsFor(join(dir, 'carol'), 'grade')).toStrictEqual({ submission: join(dir, 'carol'), kit: ['ref:reference-c'] });
    expect(cTargetsFor('ref:reference-c', 'test')).toStrictEqual({ kit: ['ref:reference-c'] });
  });
  it('leaves TypeScript alone, also a folder whose allocator.ts sits beside .c files', () => {
    file('dave/allocator.ts');
    file('dave/helper.c');
    expect(cTargetsFor(join(dir, 'dave'), 'grade')).toStrictEqual({ kit: [] });
    expect(cTargetsFor(file('bob.ts'), 'grade')).toStrictEqual({ kit: [] });
    expect(cTargetsFor('ref:reference', 'grade')).toStrictEqual({ kit: [] });
    expect(cTargetsFor(join(dir, 'missing.c'), 'grade')).toStrictEqual({ kit: [] });
  });
});

describe('csv', () => {
  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvRow(['a,b', 'say "hi"', 'x\ny', 3, 0.12345678, undefined])).toBe('"a,b","say ""hi""","x\ny",3,0.1235,');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });
});

describe('shard', () => {
  it('splits sorted ids into disjoint slices that cover them all', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `s${i}`);
    const slices = [1, 2, 3].map((i) => selectShard(ids, parseShard(`${i}/3`)));
    expect(slices.flat().sort()).toStrictEqual([...ids].sort());
    expect(slices.map((s) => s.length)).toStrictEqual([4, 3, 3]);
  });
  it.each(['0/3', '4/3', '1/0', 'a/b', '1'])('rejects %s', (text) => {
    expect(() => parseShard(text)).toThrow(/--shard/);
  });
});

describe('journal', () => {
  it('ignores a torn last line and starts the next entry on a line of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-journal-'));
    const path = join(dir, 'journal.jsonl');
    const entry = (id: string) => ({ id, finishedAt: 't', result: { status: 'pass' } as never });
    const w = new JournalWriter(path, { journal: 1, mode: 'test', config: null, startedAt: 't' });
    w.record(entry('a'));
    w.close();
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"id":"b","fin`); // killed mid-write
    expect([...readJournal(path).entries.keys()]).toStrictEqual(['a']);
    const again = new JournalWriter(path, undefined);
    again.record(entry('c'));
    again.close();
    const read = readJournal(path);
    expect([...read.entries.keys()]).toStrictEqual(['a', 'c']);
    expect(read.skipped).toBe(1);
  });
});

