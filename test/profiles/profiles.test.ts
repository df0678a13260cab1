/** Profiles as data: auto detection from handout-style files, course profile files, the configuration key. No compiler here. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../harness/config/validate.ts';
import { testOptionsFromConfig } from '../../harness/config/test-options.ts';
import { BUILTIN_PROFILES, detectProfile, resolveProfile } from '../../harness/profiles/index.ts';
import { configForSubmission } from '../../harness/config/for-submission.ts';
import { parseDiagnostics } from '../../harness/wasm/symbols.ts';
import { FIXTURES } from '../wasm/helpers.ts';

const H = path.join(FIXTURES, 'handouts');
const text = (rel: string): string => readFileSync(path.join(H, rel), 'utf8');

describe('auto picks the handout a file was written for', () => {
  it.each([
    ['malloclab-2002/mm.c', 'malloclab-2002', /team_t/],
    ['malloclab-2002/mm-broken.c', 'malloclab-2002', /team_t/],
    ['malloclab-2010/mm.c', 'malloclab-2010', /DRIVER/],
    ['malloclab-2010/mm-broken.c', 'malloclab-2010', /DRIVER/],
    ['malloclab-2016/mm.c', 'malloclab-2016', /mm_checkheap\(int lineno\)/],
    ['malloclab-2016/mm-broken.c', 'malloclab-2016', /contracts\.h/],
    ['cs341/alloc.c', 'cs341', /libc style/],
    ['cs341/alloc-broken.c', 'cs341', /libc style/],
    // 2013: `void mm_checkheap(int verbose)` is the 2010 mm.h's declaration; the 2013 profile (int) conflicts.
    ['malloclab-2013/mm-void.c', 'malloclab-2010', /not malloclab-2013: its mm.h declares `int mm_checkheap`/],
    // 2014: contracts.h ships with the 2013-2015 handouts too; 2016's `bool mm_init` conflicts with the file's int.
    ['malloclab-2013/mm.c', 'malloclab-2013', /not malloclab-2016: its mm.h declares `bool mm_init`/],
    ['malloclab-2013/mm-broken.c', 'malloclab-2013', /int mm_checkheap\(int lineno\)/],
    ['malloclab-2016/mm-word.c', 'malloclab-2016', /word_t/],
  ])('%s -> %s', (file, profile, reason) => {
    const d = detectProfile([text(file)]);
    expect(d.profile).toBe(profile);
    expect(d.reasons.join('; ')).toMatch(reason);
  });

  it('a team_t file that stores 8-byte words is a 64-bit handout, not the 32-bit one', () => {
    const src = `team_t team = {"a","b","c","",""};\n#define WSIZE 8\nint mm_init(void){return 0;}\nvoid *mm_malloc(size_t n){ *(long *)p = 1; }`;
    const d = detectProfile([src]);
    expect(d.profile).toBe('malloclab-2010');
    expect(d.reasons.join(' ')).toMatch(/8-byte words/);
  });

  it("the kit's own C template is the kit's 32-bit profile, as its comment says", () => {
    const template = readFileSync(new URL('../../student-template/c/mm.c', import.meta.url), 'utf8');
    const d = detectProfile([template]);
    expect(d.profile).toBe('heapgrade');
    expect(resolveProfile(d.profile, []).profile.model).toBe('ilp32');
    expect(template).toMatch(/32-bit WebAssembly[\s\S]*`--profile auto` picks for this file/);
    // The same file with a handout's DRIVER renaming is a 2016 handout file.
    expect(detectProfile([`#ifdef DRIVER\n#define malloc mm_malloc\n#endif\n${template}`]).profile).toBe('malloclab-2016');
  });

  it('never picks a generation whose mm.h conflicts with the file, whatever else it has', () => {
    // contracts.h and `bool mm_checkheap` point to 2016, but `int mm_init` rules it out.
    const d = detectProfile(['#include "contracts.h"\nint mm_init(void) { return 0; }\nbool mm_checkheap(int l) { return true; }\nvoid *mm_malloc(size_t n) { return 0; }']);
    expect(d.profile).not.toBe('malloclab-2016');
    expect(d.reasons.join('; ')).toMatch(/not malloclab-2016/);
    for (const p of BUILTIN_PROFILES) {
      if (p.name !== d.profile) continue;
      expect(p.declarations.mm_init === null || p.declarations.mm_init === 'int').toBe(true);
    }
  });

  it('signs inside comments and strings do not count', () => {
    expect(detectProfile(['/* team_t, #ifdef DRIVER */ const char *s = "mm_checkheap(int x)";']).profile).toBe('heapgrade');
  });

  it("auto says when it uses the course's own headers beside the file", async () => {
    const loaded = { config: validateConfig({ profile: 'auto' }, { source: 't' }).config!, input: { profile: 'auto' }, dir: process.cwd() };
    const r = await configForSubmission(loaded, undefined, path.join(H, 'course-headers/mm.c'));
    expect(r.config.profile).toBe('malloclab-2010');
    expect(r.detection?.reasons.join('; ')).toMatch(/compiles with the course's own memlib\.h, mm\.h beside the file, in place of the kit's/);
    const plain = await configForSubmission(loaded, undefined, path.join(H, 'malloclab-2013/mm.c'));
    expect(plain.detection?.reasons.join('; ')).not.toMatch(/beside the file/);
  });

  it('configForSubmission resolves auto from the submission and reports why', async () => {
    const loaded = { config: validateConfig({ profile: 'auto' }, { source: 't' }).config!, input: { profile: 'auto' }, dir: process.cwd() };
    const r = await configForSubmission(loaded, undefined, path.join(H, 'malloclab-2016/mm.c'));
    expect(r.config.profile).toBe('malloclab-2016');
    expect(r.config.alignment).toBe(16);
    expect(r.detection?.reasons.length).toBeGreaterThan(0);
    const ts = await configForSubmission(loaded, undefined, 'ref:reference');
    expect(ts.config.profile).toBe('heapgrade');
  });
});

describe('profiles are data', () => {
  it('every built-in profile cites a source for every rule', () => {
    for (const p of BUILTIN_PROFILES) {
      expect(p.rules.length, p.name).toBeGreaterThan(0);
      for (const r of p.rules) expect(r.source.length, `${p.name}: ${r.rule}`).toBeGreaterThan(5);
    }
  });

  it('the handout facts: 2002 is 32-bit/8/20 MB with team exempt, 2010 64-bit/8, 2016 64-bit/16, cs341 64-bit libc', () => {
    const get = (n: string) => resolveProfile(n, []).profile;
    expect(get('malloclab-2002')).toMatchObject({ model: 'ilp32', alignment: 8, heapLimit: 20 * 2 ** 20, staticDataExempt: ['team'], defines: [] });
    expect(Object.keys(get('malloclab-2002').beyond).sort()).toEqual(['calloc-dirty', 'calloc-overflow', 'free-null', 'realloc-null-zero']);
    expect(get('malloclab-2002').staticDataRule).toBe('no-compound');
    expect(get('malloclab-2016').staticDataRule).toBe('bytes');
    expect(Object.keys(get('cs341').beyond)).toEqual(['alignment']);
    expect(get('malloclab-2010')).toMatchObject({ model: 'lp64', alignment: 8, defines: ['DRIVER'], declarations: { mm_init: 'int', mm_checkheap: 'void' } });
    expect(get('malloclab-2013')).toMatchObject({ model: 'lp64', alignment: 8, defines: ['DRIVER'], declarations: { mm_init: 'int', mm_checkheap: 'int' } });
    expect(get('malloclab-2016').declarations).toEqual({ mm_init: 'bool', mm_checkheap: 'bool' });
    expect(get('malloclab-2016')).toMatchObject({ model: 'lp64', alignment: 16, defines: ['DRIVER'] });
    expect(get('cs341')).toMatchObject({ model: 'lp64', alignment: 16, defines: [] });
    expect(get('heapgrade')).toMatchObject({ model: 'ilp32', alignment: 16, beyond: {} });
  });

  it('a course adds its own profile as a JSON file extending a built-in one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hg-profile-'));
    writeFileSync(path.join(dir, 'our-course.json'), JSON.stringify({ extends: 'malloclab-2010', heapLimit: 32 << 20, beyond: { 'free-null': 'our traces never free NULL' } }));
    const p = resolveProfile('our-course.json', [], dir).profile;
    expect(p).toMatchObject({ name: 'our-course', model: 'lp64', alignment: 8, heapLimit: 32 << 20, beyond: { 'free-null': 'our traces never free NULL' } });
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ extends: 'malloclab-2099', alignment: 4 }));
    expect(() => resolveProfile('bad.json', [], dir)).toThrow(/bad\.json: `extends` names no built-in profile/);
    expect(() => resolveProfile('missing.json', [], dir)).toThrow(/missing\.json: profile file not found/);
  });
});

describe('the profile key of the configuration', () => {
  it('sets alignment, heap limit and static-data limit; keys the file sets win', () => {
    const c = validateConfig({ profile: 'malloclab-2002' }, { source: 'c.json' }).config!;
    expect(c).toMatchObject({ profile: 'malloclab-2002', alignment: 8, heapLimit: 20 << 20 });
    const own = validateConfig({ alignment: 16, profile: 'malloclab-2002' }, { source: 'c.json' }).config!;
    expect(own.alignment).toBe(16);
    const t = testOptionsFromConfig(c);
    expect(t.profile).toBe('malloclab-2002');
    expect(Object.keys(t.beyond ?? {})).toContain('free-null');
    expect(testOptionsFromConfig(validateConfig({ profile: 'cs341' }, { source: 'c.json' }).config!).checker?.sizeTBits).toBe(64);
  });

  it('names the file, the key and the choices for an unknown profile', () => {
    const r = validateConfig({ profile: 'malloclab-2099' }, { source: 'heapgrade.config.json' });
    expect(r.errors).toEqual([expect.stringMatching(/^heapgrade\.config\.json: `profile` names no profile; use one of heapgrade, malloclab-2002, malloclab-2010, malloclab-2013, malloclab-2016, cs341, auto/)]);
  });
});

describe('compiler diagnostics as data', () => {
  it('file, line, col, severity, message and flag', () => {
    const out = [
      "mm.c:42:13: warning: incompatible pointer to integer conversion assigning to 'size_t' from 'void *' [-Wint-conversion]",
      '   42 |     PUT(p, NULL);',
      "mm.c:7:5: error: use of undeclared identifier 'x'",
      '1 warning and 1 error generated.',
    ].join('\n');
    expect(parseDiagnostics(out)).toEqual([
      { file: 'mm.c', line: 42, col: 13, severity: 'warning', message: "incompatible pointer to integer conversion assigning to 'size_t' from 'void *'", flag: '-Wint-conversion' },
      { file: 'mm.c', line: 7, col: 5, severity: 'error', message: "use of undeclared identifier 'x'" },
    ]);
  });
});

describe('the text report', () => {
  it('shows a check beyond the handout as such, with what it found, and not as a failure', async () => {
    const { formatTestReport } = await import('../../harness/report/test-text.ts');
    const { beyondHandout } = await import('../../harness/report/check-points.ts');
    const failed = {
      name: 'free-null', description: 'free(NULL) does nothing', points: 0, maxPoints: 4, status: 'fail' as const, ops: 3, durationMs: 1,
      violations: [{ kind: 'segfault' as const, op: 0, message: 'free(NULL): segmentation fault' }],
    };
    const text = formatTestReport({ version: 1, kind: 'test', submission: 'mm.c', status: 'pass', durationMs: 10, checks: [beyondHandout(failed, 'the 2002 handout never calls mm_free(NULL)')] });
    expect(text).toMatch(/free-null\s+0\/0\s+beyond the handout \(it found segfault at call #0\): the 2002 handout never calls mm_free\(NULL\)/);
    expect(text).toMatch(/all checks pass/);
  });
});

describe("the kit's mm.h declares mm_init and mm_checkheap as the file defines them", () => {
  it('from the definition, else from the handout; nothing for a static or an unusual one', async () => {
    const { declarationFlags } = await import('../../harness/profiles/declarations.ts');
    const y2016 = { mm_init: 'bool', mm_checkheap: 'bool' } as const;
    expect(declarationFlags(['int mm_init(void) { return 0; }\nvoid mm_checkheap(int verbose) { }'], y2016)).toEqual([
      '-DHG_DECL_MM_INIT=int mm_init(void)',
      '-DHG_DECL_MM_CHECKHEAP=void mm_checkheap(int verbose)',
    ]);
    // Not defined: the handout's own declaration (a call then fails to link, as natively).
    expect(declarationFlags(['int mm_init() { return 0; }'], y2016)).toEqual(['-DHG_DECL_MM_INIT=int mm_init(void)', '-DHG_DECL_MM_CHECKHEAP=bool mm_checkheap(int)']);
    // static: an extern declaration before it would be an error; a typedef'd parameter would be undeclared in mm.h.
    expect(declarationFlags(['static int mm_checkheap(int v) { return 0; }\nbool mm_init(void) { return 1; }'], { mm_init: null, mm_checkheap: null })).toEqual(['-DHG_DECL_MM_INIT=bool mm_init(void)']);
    expect(declarationFlags(['int mm_checkheap(lineno_t l) { return 0; }'], y2016)).toEqual(['-DHG_DECL_MM_INIT=bool mm_init(void)']);
    // In a comment it is no definition.
    expect(declarationFlags(['/* void mm_checkheap(int v) { } */'], { mm_init: null, mm_checkheap: null })).toEqual([]);
  });
});
