import { TraceBuilder, type CorrectnessCheck } from '../../harness/checker/check.ts';

export const callocDirty: CorrectnessCheck = {
  name: 'calloc-dirty',
  description: 'calloc must return zeroed memory also when it reuses freed blocks that held data and the allocator\'s own free-list pointers.',
  points: 8,
  targets: ['calloc-not-zeroed'],
  type: 'trace',
  build() {
    const t = new TraceBuilder();
    const sizes = [8, 16, 24, 40, 100, 256, 1000, 4000, 17, 33];
    const first = sizes.map((s) => t.malloc(s));
    const guard = t.malloc(32); // keeps the freed blocks away from the top of the heap
    for (const id of first) t.free(id);
    for (const s of sizes) t.calloc(1, s);
    for (const s of sizes) t.calloc(s, 1);
    // Split a big dirty block into smaller calloc'd pieces.
    const big = t.malloc(8192);
    const guard2 = t.malloc(16);
    t.free(big);
    for (let k = 0; k < 8; k++) t.calloc(10, 90);
    t.free(guard);
    t.free(guard2);
    return t.ops;
  },
};

export const callocOverflow: CorrectnessCheck = {
  name: 'calloc-overflow',
  description: 'calloc(n, size) whose product overflows a 32-bit size_t, such as calloc(0x10000, 0x10001) or calloc(2**31, 2), must return NULL; the allocator keeps working.',
  points: 6,
  targets: ['calloc-overflow', 'threw'],
  type: 'trace',
  build() {
    const t = new TraceBuilder();
    const a = t.malloc(64);
    t.calloc(0x10000, 0x10001);
    t.calloc(2 ** 31, 2);
    t.calloc(2, 2 ** 31);
    t.calloc(0xffff_ffff, 0xffff_ffff);
    t.calloc(0x1_0000, 0x1_0000); // exactly 2**32: one past SIZE_MAX
    const b = t.calloc(16, 16); // still works afterwards
    t.free(a);
    t.free(b);
    return t.ops;
  },
};
