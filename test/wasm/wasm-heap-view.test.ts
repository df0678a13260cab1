/**
 * The C heap's view of linear memory (WasmHeap.bytes) follows every grow:
 * the kit's own (sbrk past the memory's end) and one the module makes
 * itself (memory.grow), each of which detaches the buffer the old view was
 * on. The view is renewed when it reads as empty, without asking the
 * memory for its buffer on every call.
 */
import { describe, expect, it } from 'vitest';
import { WasmHeap } from '../../harness/wasm/wasm-heap.ts';

describe('WasmHeap.bytes', () => {
  it('is the whole memory after a grow by the kit and after one by the module', () => {
    const memory = new WebAssembly.Memory({ initial: 2 });
    const heap = new WasmHeap(1 << 22, 1);
    heap.attach(memory, 1024);
    const first = heap.bytes();
    expect(first.length).toBe(memory.buffer.byteLength);
    // The kit grows it: sbrk past the memory's end.
    heap.sbrk(memory.buffer.byteLength);
    expect(first.length).toBe(0); // detached
    expect(heap.bytes().buffer).toBe(memory.buffer);
    // The module grows it (memory.grow from its own code detaches the buffer the same way).
    const before = heap.bytes().length;
    memory.grow(3);
    expect(heap.bytes().buffer).toBe(memory.buffer);
    expect(heap.bytes().length).toBe(before + 3 * 65536);
    heap.bytes()[heap.bytes().length - 1] = 7;
    expect(new Uint8Array(memory.buffer)[memory.buffer.byteLength - 1]).toBe(7);
  });
});
