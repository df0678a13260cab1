/**
 * Turns a heapgrade-trace log (pointers) into a .rep trace (block ids),
 * optionally only a window of the log: `count` calls starting at call
 * `start` (0-based), so a long program yields a trace of a chosen size.
 *
 *   npx tsx scripts/tracer/convert.ts LOG -o out.rep [--start K] [--count N] [--name NAME] [--free-at-end]
 *
 * How the window's edges are handled:
 * - blocks allocated before the window are unknown to the trace: their frees
 *   are dropped, and a realloc of one becomes a malloc of the new size (to an
 *   allocator that is what it is: a new block);
 * - blocks still live when the window (or the program) ends stay live, as in
 *   the program; --free-at-end appends their frees instead;
 * - a malloc that returns an address the log still has live (a free the
 *   tracer could not see) first frees the old block's id, so the trace stays
 *   valid;
 * - free(NULL) becomes `f -1`, realloc(NULL, n) a realloc of a fresh id, and
 *   requests no size_t can hold (beyond 2**53) are dropped.
 * Freed ids are reused, as malloclab traces may.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SIZE_MAX } from '../../harness/contract/types.ts';
import { DEFAULT_HEAP_LIMIT } from '../../harness/heap/sim-heap.ts';
import type { Op, Trace } from '../../harness/trace/types.ts';
import { traceStats, writeRep } from '../../harness/trace/write.ts';
import { UsageError } from '../../harness/util/errors.ts';
import { parseTraceLog, type LogEvent, type LogPtr } from './log.ts';

export interface ConvertOptions {
  name: string;
  /** First call of the window (0-based). @default 0 */
  start?: number;
  /** Calls in the window. @default all */
  count?: number;
  /** Free the blocks still live at the end of the window. @default false */
  freeAtEnd?: boolean;
}

export interface ConvertSummary {
  /** Calls in the log, and in the window. */
  calls: number;
  windowCalls: number;
  ops: number;
  /** Frees of blocks allocated before the window (or never seen), dropped. */
  droppedFrees: number;
  /** Reallocs of blocks from before the window, written as mallocs. */
  preWindowReallocs: number;
  /** Addresses returned again while still live: their unseen frees were added. */
  missedFrees: number;
  /** Blocks live at the end of the window. */
  liveAtEnd: number;
  droppedAbsurd: number;
}

export function convertLog(events: readonly LogEvent[], options: ConvertOptions): { trace: Trace; summary: ConvertSummary } {
  const start = options.start ?? 0;
  const end = Math.min(events.length, start + (options.count ?? events.length));
  const s: ConvertSummary = {
    calls: events.length,
    windowCalls: Math.max(0, end - start),
    ops: 0,
    droppedFrees: 0,
    preWindowReallocs: 0,
    missedFrees: 0,
    liveAtEnd: 0,
    droppedAbsurd: 0,
  };
  const before = new Set<LogPtr>(); // live blocks allocated before the window
  const live = new Map<LogPtr, number>(); // window blocks: pointer -> id
  const spare: number[] = [];
  let nextId = 0;
  const ops: Op[] = [];
  const newId = (): number => spare.pop() ?? nextId++;
  /**
   * Before an op returns `ptr` for block `id`: if the log still has another
   * block at that address, its free went unseen, so the trace frees it first.
   */
  const evict = (ptr: LogPtr, id?: number): void => {
    const stale = live.get(ptr);
    if (ptr === '0' || stale === undefined || stale === id) return;
    ops.push({ kind: 'f', id: stale });
    live.delete(ptr);
    spare.push(stale);
    s.missedFrees++;
  };
  const bind = (ptr: LogPtr, id: number): void => {
    before.delete(ptr);
    live.set(ptr, id);
  };

  for (let i = 0; i < end; i++) {
    const e = events[i]!;
    if (i < start) {
      trackBefore(before, e);
      continue;
    }
    if (e.kind !== 'f' && !Number.isSafeInteger(e.size * (e.kind === 'c' ? e.count : 1))) {
      s.droppedAbsurd++;
      continue;
    }
    switch (e.kind) {
      case 'm':
      case 'c': {
        evict(e.ptr);
        const id = e.ptr === '0' ? nextId++ : newId(); // ids of NULL results are never reused
        const fits = e.kind === 'm' || (e.count <= SIZE_MAX && e.size <= SIZE_MAX);
        ops.push(e.kind === 'c' && fits ? { kind: 'c', id, count: e.count, size: e.size } : { kind: 'a', id, size: requested(e) });
        if (e.ptr !== '0') bind(e.ptr, id);
        break;
      }
      case 'r': {
        const oldId = e.old === '0' ? undefined : live.get(e.old);
        if (e.old !== '0' && oldId === undefined) {
          // A block from before the window (or never seen): to the trace it is a new malloc.
          before.delete(e.old);
          s.preWindowReallocs++;
          if (e.ptr === '0') break;
          evict(e.ptr);
          const id = newId();
          ops.push({ kind: 'a', id, size: e.size });
          bind(e.ptr, id);
          break;
        }
        evict(e.ptr, oldId);
        const id = oldId ?? (e.ptr === '0' ? nextId++ : newId());
        ops.push({ kind: 'r', id, size: e.size });
        if (e.ptr !== '0') {
          if (e.old !== '0') live.delete(e.old);
          bind(e.ptr, id);
        } else if (e.size === 0 && e.old !== '0') live.delete(e.old); // realloc(p, 0) freed p; the id is not reused
        break;
      }
      case 'f': {
        if (e.ptr === '0') {
          ops.push({ kind: 'f', id: -1 });
          break;
        }
        const id = live.get(e.ptr);
        if (id === undefined) {
          before.delete(e.ptr);
          s.droppedFrees++;
          break;
        }
        ops.push({ kind: 'f', id });
        live.delete(e.ptr);
        spare.push(id);
        break;
      }
    }
  }
  s.liveAtEnd = live.size;
  if (options.freeAtEnd) for (const id of [...live.values()].sort((a, b) => a - b)) ops.push({ kind: 'f', id });
  s.ops = ops.length;
  return { trace: { name: options.name, ops, weight: 1 }, summary: s };
}

function requested(e: LogEvent & { kind: 'm' | 'c' }): number {
  return e.kind === 'm' ? e.size : e.count * e.size;
}

/** Before the window only which addresses are live matters. */
function trackBefore(before: Set<LogPtr>, e: LogEvent): void {
  if (e.kind === 'f') before.delete(e.ptr);
  else if (e.kind === 'r' && e.ptr !== '0') {
    before.delete(e.old);
    before.add(e.ptr);
  } else if (e.kind === 'r' && e.size === 0) before.delete(e.old);
  else if (e.kind !== 'r' && e.ptr !== '0') before.add(e.ptr);
}

const USAGE = 'usage: convert.ts LOG -o OUT.rep [--start K] [--count N] [--name NAME] [--free-at-end]';

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        start: { type: 'string', default: '0' },
        count: { type: 'string' },
        name: { type: 'string' },
        'free-at-end': { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`, { cause: e });
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv);
  const [logFile] = positionals;
  if (!logFile || !values.out) {
    throw new UsageError(USAGE);
  }
  const whole = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`Expected --${flag} to be a whole number of calls, got '${v}'`);
    return Number(v);
  };
  const text = await readFile(logFile, 'utf8').catch((e: unknown) => {
    throw new UsageError(`cannot read log ${logFile}: ${(e as Error).message}; pass a log written by heapgrade-trace.c`, { cause: e });
  });
  const log = parseTraceLog(text, logFile);
  const { trace, summary } = convertLog(log.events, {
    name: values.name ?? values.out,
    start: whole('start', values.start) ?? 0,
    ...(values.count !== undefined && { count: whole('count', values.count)! }),
    freeAtEnd: values['free-at-end'],
  });
  await writeFile(values.out, writeRep(trace));
  const { peakPayload, maxRequest } = traceStats(trace);
  console.error(`${values.out}: ${JSON.stringify({ ...summary, truncatedLastLine: log.truncated, peakPayload, maxRequest })}`);
  if (peakPayload > DEFAULT_HEAP_LIMIT / 2) {
    console.error(
      `warning: the trace keeps up to ${peakPayload} bytes live, over half the default ${DEFAULT_HEAP_LIMIT}-byte heap: ` +
        'choose a smaller window (--start/--count) or give the workload a larger limit',
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof UsageError ? e.message : e);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  });
}
