import { Reader, WasmFormatError } from '../meter/wasm-binary.ts';

/**
 * Reading what a submission defines: function and data symbols from
 * `llvm-objdump -t` of its objects, and the declared return types of
 * mm_init/mm_checkheap, which differ between malloclab handouts.
 */

export interface ObjectSymbols {
  /** Global functions the submission defines. */
  functions: Set<string>;
  /** Named data objects (globals and statics, bss included), biggest first, with the object file that defines each. */
  data: { name: string; bytes: number; object?: string }[];
}

/** Parses `llvm-objdump -t` output: `00000040 l     O DATA	000000c8 tbl`. */
export function parseSymbolTable(text: string): ObjectSymbols {
  const functions = new Set<string>();
  const data: { name: string; bytes: number; object?: string }[] = [];
  // Several objects: each table follows its `mm.o:	file format wasm` line.
  let object: string | undefined;
  for (const line of text.split('\n')) {
    const header = /^(\S+):\s+file format /.exec(line);
    if (header) {
      object = header[1]!.replace(/^.*\//, '');
      continue;
    }
    // objdump prints 7 flag characters: binding (l, g, space), weak (w), ..., type (F function, O object).
    const m = /^[0-9a-f]+ (.)(.{5})([FO]) (CODE|DATA)\s+([0-9a-f]+) (?:\.hidden )?(\S+)\s*$/.exec(line);
    if (!m) continue;
    const [, bindChar, flags, kind, , size, name] = m as unknown as [string, string, string, string, string, string, string];
    const bind = bindChar === 'l' ? 'l' : bindChar === 'g' || flags.includes('w') ? 'g' : 'l';
    if (kind === 'F' && bind === 'g') functions.add(name);
    // .L names are the compiler's (string literals); they are not the student's variables.
    // (Literals often have no symbol at all: dataSegmentBytes counts them.)
    if (kind === 'O' && !name.startsWith('.L')) data.push({ name, bytes: parseInt(size, 16), ...(object ? { object } : {}) });
  }
  data.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
  return { functions, data };
}

/**
 * Bytes of all data segments of a WebAssembly object file (initialised data,
 * bss and string literals alike: clang gives a literal a segment of its own
 * but often no symbol). What the symbols do not name of it is the compiler's
 * literals and constants.
 */
export function dataSegmentBytes(object: Uint8Array): number {
  const r = new Reader(object, 8);
  let total = 0;
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 11) {
      for (let n = r.u32(); n > 0; n--) {
        const flags = r.u32();
        if (flags === 2) r.u32(); // memory index
        if (flags !== 1) {
          // The offset expression: one constant instruction, then `end`.
          r.byte();
          r.skipLeb();
          if (r.byte() !== 0x0b) throw new WasmFormatError('unexpected data segment offset expression');
        }
        const len = r.u32();
        total += len;
        r.skip(len);
      }
    }
    r.pos = end;
  }
  return total;
}

/**
 * Whether a global or static data object is compound (an array or a struct)
 * rather than a scalar, for the 2002 handout's rule ("no global or static
 * compound data structures such as arrays, structs, trees, or lists";
 * scalars allowed). Larger than 8 bytes cannot be a scalar under -m32 (the
 * widest are double and long long); smaller ones count when a source
 * declares them with an array declarator or a struct/union type.
 */
export function isCompoundData(sources: readonly string[], name: string, bytes: number): boolean {
  if (bytes > 8) return true;
  const id = name.replace(/^.*\./, ''); // a function-local static is named `fn.name`
  const array = new RegExp(`(?:^|[;{}])\\s*(?!return\\b|else\\b|case\\b|do\\b|sizeof\\b)[A-Za-z_][\\w\\s*]*?[\\s*]${id}\\s*\\[`, 'm');
  const struct = new RegExp(`\\b(?:struct|union)\\s+\\w+\\s+${id}\\s*[;=\\[]`);
  return sources.some((s) => array.test(s) || struct.test(s));
}

export type ReturnKind = 'bool' | 'int' | 'void' | 'unknown';

/** The return type a definition of `fn` declares in any of the sources. */
export function declaredReturn(sources: readonly string[], fn: string): ReturnKind {
  const re = new RegExp(`\\b(bool|_Bool|int|void)\\s+${fn}\\s*\\([^)]*\\)\\s*\\{`);
  for (const s of sources) {
    const m = re.exec(s);
    if (m) return m[1] === '_Bool' ? 'bool' : (m[1] as ReturnKind);
  }
  return 'unknown';
}

/** Compiler diagnostics as blocks (`file:line:col: warning: ...` plus the caret lines after it). */
export function diagnostics(output: string, severity: 'warning' | 'error'): string[] {
  const blocks: string[] = [];
  let cur: string[] | null = null;
  for (const line of output.split('\n')) {
    const head = /^[^\s:][^:]*:\d+:\d+: (warning|error|note|fatal error): /.exec(line);
    if (head && head[1] === 'note') {
      cur?.push(line);
    } else if (head) {
      if (cur) blocks.push(cur.join('\n'));
      cur = head[1]!.endsWith(severity) ? [line] : null;
    } else if (cur && line.trim() !== '' && !/^\d+ (warning|error)s? generated/.test(line)) {
      cur.push(line);
    }
  }
  if (cur) blocks.push(cur.join('\n'));
  return blocks;
}

/** One compiler diagnostic as data (reporters print it; `student` shows warnings with the result). */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  severity: 'warning' | 'error';
  message: string;
  /** The flag that controls it, e.g. `-Wint-conversion`, when the compiler names one. */
  flag?: string;
}

/** Every `file:line:col: warning|error: message [-Wflag]` line of the compiler's output. */
export function parseDiagnostics(output: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of output.split('\n')) {
    const m = /^([^\s:][^:]*):(\d+):(\d+): (warning|error|fatal error): (.*?)(?: \[(-W[^\],]+)[^\]]*\])?$/.exec(line);
    if (!m) continue;
    const d: Diagnostic = { file: m[1]!, line: Number(m[2]), col: Number(m[3]), severity: m[4] === 'warning' ? 'warning' : 'error', message: m[5]! };
    if (m[6]) d.flag = m[6];
    out.push(d);
  }
  return out;
}
