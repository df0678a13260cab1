/** The step-meter transform: every function entry and loop iteration ticks, whatever the syntax; the meter's name is reserved. */
import { describe, expect, it } from 'vitest';
import { CALL_SITE_GLOBALS, meterSource, ReservedNameError } from '../../harness/meter/ts-transform.ts';

/** Evaluates transformed `src` (a function body returning a thunk) and counts ticks while calling it. */
function ticks(src: string, arg?: unknown): { ticks: number; value: unknown } {
  let n = 0;
  const code = meterSource(src, 'M');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function('M', code) as (m: () => void) => (a: unknown) => unknown;
  const f = make(() => void n++);
  n = 0;
  const value = f(arg);
  return { ticks: n, value };
}

describe('meterSource', () => {
  it.each([
    ['a loop of 10 iterations in a function', 'return function f() { let s = 0; for (let i = 0; i < 10; i++) s += i; return s; };', 11, 45],
    ['while / do-while', 'return () => { let i = 0; while (i < 3) i++; do i--; while (i > 0); return i; };', 1 + 3 + 3, 0],
    ['for-in and for-of', 'return () => { let c = 0; for (const k in {a: 1, b: 2}) c++; for (const v of [1, 2, 3]) c += v; return c; };', 1 + 2 + 3, 8],
    ['labelled continue', 'return () => { let c = 0; outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j === 1) continue outer; c++; } } return c; };', 1 + 3 + 6, 3],
    ['an arrow with an expression body, object literal', 'return () => ((x) => ({ x }))(7).x;', 2, 7],
    ['class methods, getters, setters, constructor', 'return () => { class A { constructor() { this.v = 1; } get g() { return this.v; } set g(x) { this.v = x; } m() { return this.g; } } const a = new A(); a.g = 5; return a.m(); };', 1 + 1 + 1 + 1 + 1, 5],
    ['generators', 'return () => { function* g() { for (let i = 0; i < 4; i++) yield i; } let s = 0; for (const x of g()) s += x; return s; };', 1 + 1 + 4 + 4, 6],
    ['recursion', 'return function f(n) { return n === 0 ? 0 : 1 + f(n - 1); };', 6, 5],
  ])('%s ticks exactly', (_name, src, expected, value) => {
    const r = ticks(src, 5);
    expect(r.value).toBe(value);
    expect(r.ticks).toBe(expected);
  });

  it('an async function ticks at entry and in its loops', async () => {
    let n = 0;
    const code = meterSource('return async () => { let s = 0; for (let i = 0; i < 3; i++) s += await i; return s; };', 'M');
    const f = (new Function('M', code) as (m: () => void) => () => Promise<number>)(() => void n++);
    expect(await f()).toBe(3);
    expect(n).toBe(1 + 3);
  });

  it('keeps line numbers: no line breaks are added', () => {
    const src = 'function a() {\n  for (;;) break;\n}\nconst b = () =>\n  1;\n';
    expect(meterSource(src, 'M').split('\n').length).toBe(src.split('\n').length);
  });

  it('refuses code that uses the reserved name, as a binding or a reference, with its line', () => {
    expect(() => meterSource('let x = 1;\nconst M = () => {};\n', 'M')).toThrow(ReservedNameError);
    expect(() => meterSource('let x = 1;\nconst M = () => {};\n', 'M')).toThrow(/line 2:7/);
    expect(() => meterSource('function f(M) { return M; }', 'M')).toThrow(ReservedNameError);
    expect(() => meterSource('globalThis.x = M;', 'M')).toThrow(ReservedNameError);
  });

  it("allows the compartment wrapper's own binding of the meter, in exactly that place and only for the wrapper", () => {
    const wrapper = '(function (module, exports) { const { M, Map } = globalThis; return function () {\nfor (;;) break;\n}; })';
    expect(meterSource(wrapper, 'M', { kitWrapper: true })).toContain('{M();break;}');
    // The same text as eval code (where globalThis may be the submission's own) is refused.
    expect(() => meterSource(wrapper, 'M')).toThrow(ReservedNameError);
    // Anywhere else in the wrapper source, the name is the submission's: refused.
    expect(() => meterSource('(function (module, exports) { const { Map } = globalThis; return function () {\nconst { M } = globalThis;\n}; })', 'M', { kitWrapper: true })).toThrow(/line 2/);
    expect(() => meterSource('(function (module, exports) { const { M = () => {} } = globalThis; })', 'M', { kitWrapper: true })).toThrow(ReservedNameError);
  });

  it('does not count code that is not in a function or loop', () => {
    expect(ticks('return (a) => a + 1;', 1)).toEqual({ ticks: 1, value: 2 });
  });
});

describe('meterSource: the bindings handed to the off-heap ledger (`keep`)', () => {
  /** Evaluates `src` (a function body) with the call-site globals as pass-throughs, recording what `keep` is handed. */
  function run(src: string): { value: unknown; kept: unknown[]; code: string } {
    const code = meterSource(src, 'M', { callSites: true });
    const kept: unknown[] = [];
    const g = CALL_SITE_GLOBALS;
    const same = (v: unknown) => v;
    const endow: Record<string, unknown> = {
      M: () => {},
      [g.call]: (o: Record<string, (...a: unknown[]) => unknown>, k: string, ...a: unknown[]) => o[k]!(...a),
      [g.optionalCall]: (o: Record<string, (...a: unknown[]) => unknown> | undefined, k: string, ...a: unknown[]) => o?.[k]?.(...a),
      [g.apply]: (f: (...a: unknown[]) => unknown, self: unknown, ...a: unknown[]) => Reflect.apply(f, self, a),
      [g.construct]: (C: new (...a: unknown[]) => unknown, ...a: unknown[]) => new C(...a),
      [g.spread]: same,
      [g.extend]: same,
      [g.value]: same,
      [g.literal]: same,
      [g.keep]: (v: unknown) => (kept.push(v), v),
    };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const value = (new Function(...Object.keys(endow), code) as (...a: unknown[]) => unknown)(...Object.values(endow));
    return { value, kept, code };
  }

  it('keeps what an assignment gives any variable, and what a function that makes closures binds; names and values stay', () => {
    const { value, kept } = run(`
      let t = null;
      const table = [];
      function fill(n) { for (let i = 0; i < n; i++) table[i] = i; }
      const make = (a, ...rest) => { const own = { a }; try { null.x; } catch (e) { own.e = e; } return () => [own, rest]; };
      t = () => 1;
      const [first, ...others] = [[1], [2], [3]];
      let plain = 0;
      function hot(x) { const y = { x }; plain = plain + 1; return y; }
      hot(1);
      const closure = make({ arg: 1 }, [9], [8]);
      return { t, name: t.name, makeName: make.name, fill, closure, first, others, plain };
    `);
    const v = value as Record<string, unknown> & { t: () => number; closure: () => unknown[] };
    // Names inferred from the binding survive (stack traces show them).
    expect(v.name).toBe('t');
    expect(v.makeName).toBe('make');
    expect(v.t()).toBe(1);
    expect(v.plain).toBe(1);
    // The top level keeps its functions, tables and rests; `make` (which makes a closure) its parameters, locals and
    // caught error; an assignment its value. `hot` makes no closure: its local `y` is not kept.
    expect(kept).toContain(v.fill);
    expect(kept).toContain(v.t);
    expect(kept).toContain(v.closure);
    expect(kept).toContain(v.others);
    const [own, rest] = v.closure() as [Record<string, unknown>, unknown[]];
    expect(kept).toContain(own);
    expect(kept).toContain(rest);
    expect(kept).toContain(own.e);
    expect(kept.some((k) => typeof k === 'object' && k !== null && 'x' in k)).toBe(false);
    // Numbers and plainly primitive values are not handed over at all.
    expect(kept.every((k) => typeof k === 'object' || typeof k === 'function')).toBe(true);
  });

  it('keeps a loop variable where each iteration starts, and leaves an assignment expression its value', () => {
    const { value, kept } = run(`
      const out = [];
      let last;
      for (const item of [{ n: 1 }, { n: 2 }]) out.push(() => item);
      const v = (last = { n: 3 });
      return { out, v, last };
    `);
    const r = value as { out: (() => unknown)[]; v: unknown; last: unknown };
    expect(r.v).toBe(r.last);
    for (const f of r.out) expect(kept).toContain(f());
    expect(kept).toContain(r.last);
  });
});
