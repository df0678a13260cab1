import { TraceBuilder, type CorrectnessCheck } from '../../harness/checker/check.ts';

const SMALL = 256 * 1024;

export const exhaustion: CorrectnessCheck = {
  name: 'exhaustion',
  description: 'On a 256 KiB heap: allocate until memory runs out (NULL, no exception), then free, allocate again and keep every live block intact; NULL only when sbrk failed.',
  points: 10,
  targets: ['spurious-null', 'threw', 'payload-corrupted', 'segfault'],
  limit: SMALL,
  type: 'trace',
  build() {
    const t = new TraceBuilder();
    const ids: number[] = [];
    // 400 blocks of 1000 bytes cannot fit in 256 KiB: the tail must get NULL.
    for (let i = 0; i < 400; i++) ids.push(t.malloc(1000));
    t.malloc(100_000);
    t.calloc(1000, 1000);
    for (let i = 0; i < ids.length; i += 2) t.free(ids[i]!);
    for (let i = 0; i < 150; i++) ids.push(t.malloc(500));
    for (let i = 0; i < 50; i++) t.malloc(3000);
    for (const id of ids) t.free(id);
    t.malloc(SMALL / 2); // everything was freed: this fits unless the heap never reuses memory
    return t.ops;
  },
};

export const reallocAtLimit: CorrectnessCheck = {
  name: 'realloc-at-limit',
  description: 'On a 128 KiB heap, realloc growth that cannot fit must return NULL and leave the old block valid, intact and freeable.',
  points: 8,
  targets: ['spurious-null', 'payload-corrupted', 'overlap', 'threw'],
  limit: 128 * 1024,
  type: 'trace',
  build() {
    const t = new TraceBuilder();
    const a = t.malloc(40_000);
    const b = t.malloc(40_000);
    t.realloc(a, 100_000); // cannot fit with b live: NULL, a intact
    t.realloc(b, 120_000); // NULL again
    t.realloc(a, 40_500); // a small growth may still fit
    const c = t.malloc(16);
    t.free(b);
    t.realloc(a, 80_000);
    t.free(c);
    t.free(a);
    return t.ops;
  },
};
