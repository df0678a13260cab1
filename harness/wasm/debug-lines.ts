/**
 * The source line of a code offset in a C submission's module. The student's
 * files are compiled with `-g`; the linked module's DWARF `.debug_line` maps
 * code-section offsets to `file:line`. The metering pass moves the code, so
 * the rows are carried over to the instrumented module's offsets (the pass
 * says where each instruction went), the debug sections are dropped before
 * the module is cached (V8 would only carry them), and the table is kept with
 * the module's metadata, with the text of every line it names so a report can
 * quote it wherever it is written.
 */
import { Reader } from '../meter/wasm-binary.ts';

/** Kept in the compile cache's metadata (plain JSON). */
export interface SourceLines {
  files: string[];
  /** [module offset, file index, line] triples, by offset; line 0: no source line from there on. */
  rows: number[];
  /** The text of each line the rows name, by `file:line`. */
  text: Record<string, string>;
}

export interface SourceLine {
  file: string;
  line: number;
  /** The line as written (trimmed at the end), when kept. */
  text?: string;
}

/** The line `offset` (a module offset in a V8 stack frame) was compiled from, if the table knows it. */
export function lineAt(lines: SourceLines | undefined, offset: number): SourceLine | undefined {
  if (!lines) return undefined;
  const rows = lines.rows;
  let lo = 0;
  let hi = rows.length / 3 - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid * 3]! <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0 || rows[found * 3 + 2] === 0) return undefined;
  const file = lines.files[rows[found * 3 + 1]!]!;
  const line = rows[found * 3 + 2]!;
  const text = lines.text[`${file}:${line}`];
  return { file, line, ...(text !== undefined ? { text } : {}) };
}

/** The custom sections of a module, by name, with the code section's body offset. */
export function moduleSections(wasm: Uint8Array): { custom: Map<string, Uint8Array>; codeStart: number } {
  const r = new Reader(wasm, 8);
  const custom = new Map<string, Uint8Array>();
  let codeStart = -1;
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    const start = r.pos;
    if (id === 0) {
      const name = r.name();
      custom.set(name, wasm.subarray(r.pos, start + size));
    } else if (id === 10) codeStart = start;
    r.pos = start + size;
  }
  return { custom, codeStart };
}

/** The module without its `.debug_*` custom sections (they come after the code, so no code offset moves). */
export function stripDebug(wasm: Uint8Array): Uint8Array {
  const r = new Reader(wasm, 8);
  const keep: Uint8Array[] = [wasm.subarray(0, 8)];
  while (!r.done) {
    const at = r.pos;
    const id = r.byte();
    const size = r.u32();
    const start = r.pos;
    const debug = id === 0 && r.name().startsWith('.debug_');
    if (!debug) keep.push(wasm.subarray(at, start + size));
    r.pos = start + size;
  }
  const out = new Uint8Array(keep.reduce((s, k) => s + k.length, 0));
  let o = 0;
  for (const k of keep) {
    out.set(k, o);
    o += k.length;
  }
  return out;
}

/** One row of a DWARF line program: a code-section offset and the line it starts. */
interface Row {
  address: number;
  file: string;
  line: number;
}

/**
 * Builds the table of the instrumented module: `linked` is the module as
 * wasm-ld wrote it (with DWARF), `offsets` the metering pass's pairs
 * [instrumented module offset, linked code-section offset], `sources` the
 * student's files by name (only their lines are kept: the kit's runtime
 * has no debug info, and its headers are not the student's).
 */
export function buildSourceLines(linked: Uint8Array, offsets: readonly number[], sources: readonly { name: string; text: string }[]): SourceLines | undefined {
  const { custom } = moduleSections(linked);
  const debugLine = custom.get('.debug_line');
  if (!debugLine) return undefined;
  const byName = new Map(sources.map((s) => [s.name, s.text.split('\n')]));
  const rows = readLinePrograms(debugLine, custom.get('.debug_line_str'), custom.get('.debug_str'));
  // Sorted by address; at one address a sequence's end comes before the next sequence's rows, and
  // otherwise the last row wins (DWARF lists a function's prologue row first).
  rows.sort((a, b) => a.address - b.address || (a.line === 0 ? 0 : 1) - (b.line === 0 ? 0 : 1));
  const files: string[] = [];
  const out: number[] = [];
  const text: Record<string, string> = {};
  let r = 0;
  let cur: { file: number; line: number } | null = null;
  for (let k = 0; k < offsets.length; k += 2) {
    const to = offsets[k]!;
    const from = offsets[k + 1]!;
    while (r < rows.length && rows[r]!.address <= from) {
      const row = rows[r++]!;
      const name = studentFile(row.file, byName);
      if (name === undefined || row.line === 0) {
        cur = null;
        continue;
      }
      let fi = files.indexOf(name);
      if (fi < 0) fi = files.push(name) - 1;
      cur = { file: fi, line: row.line };
      const src = byName.get(name)![row.line - 1];
      if (src !== undefined) text[`${name}:${row.line}`] = src.replace(/\s+$/, '');
    }
    const last = out.length - 3;
    const line = cur?.line ?? 0;
    const file = cur?.file ?? 0;
    if (last >= 0 && out[last + 1] === file && out[last + 2] === line) continue;
    out.push(to, file, line);
  }
  return files.length > 0 ? { files, rows: out, text } : undefined;
}

/** The name under which `path` (as DWARF gives it) is one of the student's files, if it is. */
function studentFile(path: string, byName: ReadonlyMap<string, string[]>): string | undefined {
  if (byName.has(path)) return path;
  const base = path.slice(path.lastIndexOf('/') + 1);
  return byName.has(base) && !path.includes('heapgrade-kit') ? base : undefined;
}

// DWARF forms met in line-table headers (DWARF 5, section 7.5.6).
const FORM = { block: 0x09, data1: 0x0b, data2: 0x05, data4: 0x06, data8: 0x07, data16: 0x1e, string: 0x08, strp: 0x0e, lineStrp: 0x1f, udata: 0x0f } as const;
const LNCT_PATH = 1;
const LNCT_DIRECTORY_INDEX = 2;

/** Every row of every line program in `.debug_line` (DWARF 2 to 5, 32-bit format), with the file paths resolved. */
export function readLinePrograms(section: Uint8Array, lineStr?: Uint8Array, str?: Uint8Array): Row[] {
  const d = new DataView(section.buffer, section.byteOffset, section.byteLength);
  const rows: Row[] = [];
  let pos = 0;
  const u8 = (): number => d.getUint8(pos++);
  const u16 = (): number => {
    const v = d.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const u32 = (): number => {
    const v = d.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const uleb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = u8();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  };
  const sleb = (): number => {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = u8();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return b & 0x40 ? result - 2 ** shift : result;
  };
  const cstr = (bytes: Uint8Array, at: number): string => {
    let e = at;
    while (e < bytes.length && bytes[e] !== 0) e++;
    return new TextDecoder().decode(bytes.subarray(at, e));
  };
  const inline = (): string => {
    const s = cstr(section, pos);
    pos += new TextEncoder().encode(s).length + 1;
    return s;
  };
  /** Reads one attribute of a v5 entry; a string for paths, a number otherwise. */
  const form = (f: number): string | number => {
    switch (f) {
      case FORM.string:
        return inline();
      case FORM.lineStrp:
        return lineStr ? cstr(lineStr, u32()) : (u32(), '');
      case FORM.strp:
        return str ? cstr(str, u32()) : (u32(), '');
      case FORM.udata:
        return uleb();
      case FORM.data1:
        return u8();
      case FORM.data2:
        return u16();
      case FORM.data4:
        return u32();
      case FORM.data8:
        pos += 8;
        return 0;
      case FORM.data16:
        pos += 16;
        return 0;
      case FORM.block:
        pos += uleb();
        return 0;
      default:
        throw new Error(`.debug_line: unknown form 0x${f.toString(16)}`);
    }
  };
  while (pos + 4 <= section.length) {
    const unitLength = u32();
    if (unitLength === 0xffffffff) break; // 64-bit DWARF: not produced for wasm32
    const unitEnd = pos + unitLength;
    const version = u16();
    if (version >= 5) pos += 2; // address_size, segment_selector_size
    const headerLength = u32();
    const programStart = pos + headerLength;
    const minInst = u8();
    if (version >= 4) u8(); // maximum_operations_per_instruction
    u8(); // default_is_stmt
    const lineBase = d.getInt8(pos++);
    const lineRange = u8();
    const opcodeBase = u8();
    const stdLengths: number[] = [];
    for (let k = 1; k < opcodeBase; k++) stdLengths.push(u8());
    const dirs: string[] = [];
    const files: string[] = [];
    if (version >= 5) {
      const entries = (): { path: string; dir: number }[] => {
        const formats: [number, number][] = [];
        for (let n = u8(); n > 0; n--) formats.push([uleb(), uleb()]);
        const list: { path: string; dir: number }[] = [];
        for (let n = uleb(); n > 0; n--) {
          const e = { path: '', dir: 0 };
          for (const [type, f] of formats) {
            const v = form(f);
            if (type === LNCT_PATH) e.path = String(v);
            else if (type === LNCT_DIRECTORY_INDEX) e.dir = Number(v);
          }
          list.push(e);
        }
        return list;
      };
      for (const e of entries()) dirs.push(e.path);
      for (const e of entries()) files.push(joinPath(dirs[e.dir], e.path, e.dir === 0));
    } else {
      dirs.push('');
      for (let s = inline(); s !== ''; s = inline()) dirs.push(s);
      files.push(''); // file numbers start at 1 before DWARF 5
      for (let s = inline(); s !== ''; s = inline()) {
        const dir = uleb();
        uleb();
        uleb();
        files.push(joinPath(dirs[dir], s, dir === 0));
      }
    }
    pos = programStart;
    // The state machine (DWARF 5, section 6.2.5).
    let address = 0;
    let file = 1;
    let line = 1;
    let dead = false;
    const emit = (): void => {
      if (!dead) rows.push({ address, file: files[file] ?? '', line });
    };
    while (pos < unitEnd) {
      const op = u8();
      if (op >= opcodeBase) {
        const adj = op - opcodeBase;
        address += Math.floor(adj / lineRange) * minInst;
        line += lineBase + (adj % lineRange);
        emit();
      } else if (op === 0) {
        const len = uleb();
        const end = pos + len;
        const sub = u8();
        if (sub === 1) {
          // end_sequence: nothing from here on belongs to this sequence.
          if (!dead) rows.push({ address, file: '', line: 0 });
          address = 0;
          file = 1;
          line = 1;
          dead = false;
        } else if (sub === 2) {
          address = len - 1 === 8 ? Number(d.getBigUint64(pos, true)) : d.getUint32(pos, true);
          // wasm-ld marks the code of functions it dropped with a tombstone address.
          dead = address >= 0xfffffffe;
        }
        pos = end;
      } else if (op === 1) emit();
      else if (op === 2) address += uleb() * minInst;
      else if (op === 3) line += sleb();
      else if (op === 4) file = uleb();
      else if (op === 8) address += Math.floor((255 - opcodeBase) / lineRange) * minInst;
      else if (op === 9) address += u16();
      else for (let k = stdLengths[op - 1] ?? 0; k > 0; k--) uleb();
    }
    pos = unitEnd;
  }
  return rows;
}

/** A file entry's path: relative names stay relative to the compile directory (entry 0). */
function joinPath(dir: string | undefined, name: string, isCompDir: boolean): string {
  if (name.startsWith('/') || !dir || isCompDir) return name;
  return `${dir}/${name}`;
}
