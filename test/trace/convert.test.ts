import { describe, expect, it } from 'vitest';
import { parseRep } from '../../harness/trace/parse.ts';
import { writeRep } from '../../harness/trace/write.ts';
import { UsageError } from '../../harness/util/errors.ts';
import { convertLog } from '../../scripts/tracer/convert.ts';
import { parseTraceLog } from '../../scripts/tracer/log.ts';

const LOG = `# heapgrade-trace 1 pid=42
m 10 1000
c 4 8 2000
r 1000 100 1000
r 1000 5000 3000
f 2000
f 0
r 0 64 4000
f deadbeef
m 0 5000
r 5000 0 0
m 24 2000
f 3000
`;

const convert = (text: string, options: Partial<Parameters<typeof convertLog>[1]> = {}) =>
  convertLog(parseTraceLog(text, 'log').events, { name: 't', ...options });

describe('parseTraceLog', () => {
  it('reads every call shape and keeps pointers as hex strings', () => {
    const { events, truncated } = parseTraceLog(LOG, 'log');
    expect(events).toHaveLength(12);
    expect(events[1]).toEqual({ kind: 'c', count: 4, size: 8, ptr: '2000' });
    expect(events[3]).toEqual({ kind: 'r', old: '1000', size: 5000, ptr: '3000' });
    expect(events[7]).toEqual({ kind: 'f', ptr: 'deadbeef' });
    expect(truncated).toBe(0);
  });

  it('keeps 64-bit pointers exact', () => {
    const { events } = parseTraceLog('m 8 ffffffffffffff10\nf ffffffffffffff10\n', 'log');
    expect(events[0]).toEqual({ kind: 'm', size: 8, ptr: 'ffffffffffffff10' });
  });

  it('skips a last line cut short by a dying process', () => {
    const { events, truncated } = parseTraceLog('m 8 10\nf 1', 'log');
    expect(events).toEqual([{ kind: 'm', size: 8, ptr: '10' }, { kind: 'f', ptr: '1' }]);
    expect(parseTraceLog('m 8 10\nr 10', 'log')).toEqual({ events: [{ kind: 'm', size: 8, ptr: '10' }], truncated: 1 });
    expect(truncated).toBe(0);
  });

  it('rejects a malformed line with its number', () => {
    expect(() => parseTraceLog('m 8 10\nx 1\nf 10\n', 'run.log')).toThrow(
      new UsageError("run.log line 2: unknown call 'x' (expected m, c, r or f); is this a log written by heapgrade-trace.c?"),
    );
    expect(() => parseTraceLog('m 8\nf 10\n', 'run.log')).toThrow("run.log line 1: 'm 8' has 1 values, 'm' takes 2");
  });
});

describe('convertLog', () => {
  it('maps pointers to ids, reusing freed ids', () => {
    const { trace, summary } = convert(LOG);
    expect(trace.ops).toEqual([
      { kind: 'a', id: 0, size: 10 },
      { kind: 'c', id: 1, count: 4, size: 8 },
      { kind: 'r', id: 0, size: 100 },
      { kind: 'r', id: 0, size: 5000 },
      { kind: 'f', id: 1 },
      { kind: 'f', id: -1 },
      { kind: 'r', id: 1, size: 64 }, // realloc(NULL, 64) on a reused id
      // free(deadbeef): never allocated in the log, dropped
      { kind: 'a', id: 2, size: 0 },
      { kind: 'r', id: 2, size: 0 }, // realloc(p, 0) returned NULL: freed; id 2 is not reused
      { kind: 'a', id: 3, size: 24 },
      { kind: 'f', id: 0 },
    ]);
    expect(summary).toMatchObject({ calls: 12, windowCalls: 12, ops: 11, droppedFrees: 1, liveAtEnd: 2 });
    // The result is a valid trace.
    expect(parseRep(writeRep(trace), 't').ops).toEqual(trace.ops);
  });

  it('cuts a window: earlier blocks are unknown, their frees dropped and their reallocs become mallocs', () => {
    const { trace, summary } = convert(LOG, { start: 3, count: 6 });
    expect(trace.ops).toEqual([
      { kind: 'a', id: 0, size: 5000 }, // r 1000 5000 3000: block 1000 is from before the window
      // f 2000: from before the window, dropped
      { kind: 'f', id: -1 },
      { kind: 'r', id: 1, size: 64 },
      // f deadbeef dropped
      { kind: 'a', id: 2, size: 0 },
    ]);
    expect(summary).toMatchObject({ windowCalls: 6, droppedFrees: 2, preWindowReallocs: 1, liveAtEnd: 3 });
    parseRep(writeRep(trace), 't');
  });

  it('frees what is still live at the end when asked', () => {
    const { trace } = convert('m 8 10\nm 8 20\nf 10\n', { freeAtEnd: true });
    expect(trace.ops.slice(-1)).toEqual([{ kind: 'f', id: 1 }]);
  });

  it('adds the free it could not see when an address comes back while live', () => {
    const { trace, summary } = convert('m 8 10\nm 16 10\nf 10\n');
    expect(trace.ops).toEqual([
      { kind: 'a', id: 0, size: 8 },
      { kind: 'f', id: 0 }, // the unseen free, before the malloc that returned the address again
      { kind: 'a', id: 0, size: 16 },
      { kind: 'f', id: 0 },
    ]);
    expect(summary.missedFrees).toBe(1);
  });

  it('does not reuse the id of a NULL result, and keeps oversized requests', () => {
    const { trace } = convert('m 8589934592 0\nm 8 10\nc 2 4294967296 0\n');
    expect(trace.ops).toEqual([
      { kind: 'a', id: 0, size: 8589934592 },
      { kind: 'a', id: 1, size: 8 },
      { kind: 'a', id: 2, size: 8589934592 }, // calloc whose size no 32-bit size_t holds: a malloc of the product
    ]);
    expect(parseRep(writeRep(trace), 't').oversizedOps).toEqual([0, 2]);
  });
});
