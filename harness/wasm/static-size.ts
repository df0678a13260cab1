/**
 * Oversized static data, found before the compiler's backend runs. The
 * backend writes a zero-filled global as real zero bytes (a wasm object has
 * no bss), and the bundled clang writes its output file slowly and more than
 * linearly (1 MiB 0.7 s, 16 MiB 9 s, 64 MiB over 150 s of CPU; 3.5 GiB ends
 * in "RuntimeError: unreachable" when its 4 GiB memory runs out). So the
 * front end alone first prints the file's LLVM IR (to stdout: a file in the
 * bundled clang's in-memory folder costs seconds), where a global of any size
 * is one line; the sizes are read from it, and a module over the limit is the
 * student's load failure, naming the array, before any object is written.
 */
import { LoadError } from '../util/errors.ts';

/**
 * Static data a C module may hold, whatever the course's `staticDataLimit`
 * (a rule that costs points, checked while grading): the most the bundled
 * clang builds in seconds (~9 s of CPU for the 16 MiB at the limit), and
 * well above what any rule of a handout lets an allocator keep beside its heap.
 */
export const MAX_STATIC_DATA_BYTES = 16 * 1024 * 1024;

export interface IrGlobal {
  /** The C name: `pool`, or `loc (a static in mm_malloc)` for a function's static. */
  name: string;
  bytes: number;
}

const human = (bytes: number): string =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;

/** LoadError when the globals together exceed MAX_STATIC_DATA_BYTES, naming the largest. */
export function checkStaticDataSize(root: string, globals: readonly IrGlobal[]): void {
  const total = globals.reduce((s, d) => s + d.bytes, 0);
  if (total <= MAX_STATIC_DATA_BYTES) return;
  const biggest = [...globals].sort((a, b) => b.bytes - a.bytes)[0]!;
  throw new LoadError(
    `${root} does not load: its static data is ${total} bytes (${human(total)}), over the limit of ${MAX_STATIC_DATA_BYTES} bytes (${human(MAX_STATIC_DATA_BYTES)}).\n` +
      `The largest is \`${biggest.name}\`, ${biggest.bytes} bytes (${human(biggest.bytes)}).\n` +
      'Take the allocator\'s memory from the heap (mem_sbrk / sbrk), not from a global array.',
  );
}

interface Layout {
  size: number;
  align: number;
}

/**
 * The globals an LLVM IR module defines (not those it only declares) and their
 * sizes in bytes, from their IR types laid out as the wasm data layout does
 * (natural alignment; i64, double 8; pointers `pointerBytes`).
 */
export function irGlobalSizes(ir: string, pointerBytes: 4 | 8 = 4): IrGlobal[] {
  const named = new Map<string, string>();
  for (const m of ir.matchAll(/^%("(?:[^"\\]|\\.)*"|[\w.$-]+) = type (.*)$/gm)) named.set(m[1]!, m[2]!);
  const memo = new Map<string, Layout>();
  const out: IrGlobal[] = [];
  for (const m of ir.matchAll(/^@("(?:[^"\\]|\\.)*"|[\w.$-]+) = ([^\n]*?)\b(?:global|constant) ([^\n]*)$/gm)) {
    if (/\bextern(?:al|_weak)\b/.test(m[2]!)) continue; // declared here, defined elsewhere
    const t = new TypeReader(m[3]!, named, memo, pointerBytes).layout();
    out.push({ name: cName(m[1]!.replace(/^"|"$/g, '')), bytes: t.size });
  }
  return out;
}

/** `mm_malloc.pool` (clang's name for a function's static) as the student wrote it. */
function cName(ir: string): string {
  const dot = ir.indexOf('.');
  if (dot <= 0) return ir;
  return `${ir.slice(dot + 1)} (a static in ${ir.slice(0, dot)})`;
}

const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Reads one IR type from the start of a string, laying it out. An unknown type counts 0 bytes (a lower bound). */
class TypeReader {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly named: ReadonlyMap<string, string>,
    private readonly memo: Map<string, Layout>,
    private readonly pointerBytes: number,
    private readonly depth = 0,
  ) {}

  layout(): Layout {
    this.space();
    const s = this.s;
    if (s.startsWith('[', this.i) || (s.startsWith('<', this.i) && !s.startsWith('<{', this.i))) {
      const vector = s[this.i] === '<';
      this.i++;
      const n = Number(this.take(/^\s*(\d+)\s+x\s+/));
      const e = this.layout();
      this.space();
      this.i++; // ] or >
      if (!vector) return { size: n * e.size, align: e.align };
      const size = n * e.size;
      return { size, align: Math.min(16, 2 ** Math.ceil(Math.log2(Math.max(1, size)))) };
    }
    if (s.startsWith('<{', this.i) || s.startsWith('{', this.i)) {
      const packed = s[this.i] === '<';
      this.i += packed ? 2 : 1;
      let size = 0;
      let align = 1;
      for (;;) {
        this.space();
        if (s.startsWith('}', this.i)) break;
        const f = this.layout();
        const a = packed ? 1 : f.align;
        size = roundUp(size, a) + f.size;
        align = Math.max(align, a);
        this.space();
        if (s[this.i] === ',') this.i++;
        else break;
      }
      this.space();
      this.i += packed ? 2 : 1;
      return { size: roundUp(size, align), align };
    }
    if (s.startsWith('%', this.i)) {
      const name = this.take(/^%("(?:[^"\\]|\\.)*"|[\w.$-]+)/);
      const known = this.memo.get(name);
      if (known) return known;
      const body = this.named.get(name);
      const l = body === undefined || body.startsWith('opaque') || this.depth > 64 ? { size: 0, align: 1 } : new TypeReader(body, this.named, this.memo, this.pointerBytes, this.depth + 1).layout();
      this.memo.set(name, l);
      return l;
    }
    const word = this.take(/^([a-z_0-9]+)/);
    if (word === 'ptr') {
      this.take(/^(\s*addrspace\(\d+\))?/);
      return { size: this.pointerBytes, align: this.pointerBytes };
    }
    const int = /^i(\d+)$/.exec(word);
    if (int) {
      const bytes = Math.ceil(Number(int[1]) / 8);
      const size = bytes <= 1 ? 1 : 2 ** Math.ceil(Math.log2(bytes));
      return { size, align: Math.min(size, 16) };
    }
    const fp: Record<string, number> = { half: 2, bfloat: 2, float: 4, double: 8, fp128: 16, x86_fp80: 16 };
    const f = fp[word];
    return f ? { size: f, align: f } : { size: 0, align: 1 };
  }

  private space(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  /** The first group of `re` at the cursor (or the whole match), moving past it; '' when it does not match. */
  private take(re: RegExp): string {
    const m = re.exec(this.s.slice(this.i));
    if (!m) return '';
    this.i += m[0].length;
    return m[1] ?? m[0];
  }
}
