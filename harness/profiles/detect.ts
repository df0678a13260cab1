/**
 * `--profile auto`: the profile a C file was written for, from its own signs
 * (the handout's names, its prototypes, its alignment, the data model its
 * code assumes), with the reasons, which the CLI prints so a TA can see and
 * override the choice.
 *
 * Each sign supports the generations whose handouts have it (contracts.h
 * ships with the 2013-2015 handouts as well as 2016+); the generation with
 * the most support wins, and a generation whose mm.h declares mm_init or
 * mm_checkheap with another type than the file defines them is never picked.
 */
import { BUILTIN_PROFILES } from './builtin.ts';
import { codeOnly, DECLARED_FUNCTIONS, findDefinition } from './declarations.ts';

export interface Detection {
  profile: string;
  /** The signs found, e.g. "defines `team_t team`". */
  reasons: string[];
}

const LAB = ['malloclab-2002', 'malloclab-2010', 'malloclab-2013', 'malloclab-2016'] as const;
/** The kit's own C template (student-template/c/mm.c) competes with the handouts: it is written for `heapgrade`. */
type Candidate = (typeof LAB)[number] | 'heapgrade';
const CANDIDATES: readonly Candidate[] = [...LAB, 'heapgrade'];
const B64 = ['malloclab-2010', 'malloclab-2013', 'malloclab-2016'] as const;

interface Sign {
  re: RegExp;
  why: string;
  supports: readonly Candidate[];
  /**
   * 8-byte words weigh 3 (the code assumes the data model), `team_t` and
   * mm_init's prototype 2 (the 2002 driver checks `team`; mm.h fixes mm_init),
   * mm_checkheap's prototype and other signs 1 (2002 declares no checker: its
   * type is the student's choice there).
   */
  weight: number;
  /** Only a malloclab handout file has it (an ALIGNMENT or a `long *` is no sign of malloclab style). */
  handout?: true;
}

const SIGNS: readonly Sign[] = [
  { re: /\bteam_t\b/, why: 'defines `team_t team` (CS:APP handout)', supports: ['malloclab-2002'], weight: 2, handout: true },
  { re: /#\s*if(?:def\s+DRIVER\b|\s+defined\s*\(?\s*DRIVER\b)/, why: 'renames malloc/free under `#ifdef DRIVER` (2010+ 64-bit handouts)', supports: B64, weight: 1, handout: true },
  { re: /#\s*include\s*"contracts\.h"|\b(?:REQUIRES|ENSURES)\s*\(/, why: 'uses contracts.h (`REQUIRES`/`ENSURES`, 2013+ handouts)', supports: ['malloclab-2013', 'malloclab-2016'], weight: 1, handout: true },
  { re: /\bword_t\b/, why: 'uses `word_t` (2018+ handout)', supports: ['malloclab-2016'], weight: 1, handout: true },
  { re: /\bmem_mem(?:cpy|set)\s*\(/, why: 'calls `mem_memcpy`/`mem_memset` (2019+ memlib.h)', supports: ['malloclab-2016'], weight: 1, handout: true },
  { re: /#\s*define\s+ALIGNMENT\s+\(?\s*8\s*\)?\s*$/m, why: '`#define ALIGNMENT 8` (2002-2015 handouts)', supports: ['malloclab-2002', 'malloclab-2010', 'malloclab-2013'], weight: 1 },
  { re: /#\s*define\s+ALIGNMENT\s+\(?\s*16\s*\)?\s*$/m, why: '`#define ALIGNMENT 16` (2016+ handouts, the kit\'s template)', supports: ['malloclab-2016', 'heapgrade'], weight: 1 },
  // 8-byte words: `long` or 64-bit integers stored through pointers, WSIZE 8, `1l << 32`.
  {
    re: /\(\s*(?:unsigned\s+)?long\s*\*\s*\)|\(\s*u?int64_t\s*\*\s*\)|#\s*define\s+WSIZE\s+8\b|\b1[lL]{1,2}\s*<<\s*3[2-9]/,
    why: 'stores 8-byte words (`long *`, `uint64_t *`, `WSIZE 8` or `1l << 32`): written for a 64-bit handout',
    supports: B64,
    weight: 3,
  },
];

const MM_API = /\bmm_malloc\s*\(/;
const DEFINES_MM_MALLOC = /\bvoid\s*\*\s*mm_malloc\s*\([^;{]*\)\s*\{/;
const LIBC_DEF = /\bvoid\s*\*\s*(?:malloc|calloc|realloc)\s*\([^;{]*\)\s*\{/;
const DRIVER_SIGN = SIGNS[1]!.re;

const declarationsOf = (name: Candidate) => BUILTIN_PROFILES.find((p) => p.name === name)!.declarations;

export function detectProfile(texts: readonly string[]): Detection {
  const code = texts.map(codeOnly).join('\n');
  const reasons: string[] = [];
  const score = new Map<Candidate, number>(CANDIDATES.map((c) => [c, 0]));
  const add = (supports: readonly Candidate[], weight: number): void => {
    for (const c of supports) score.set(c, score.get(c)! + weight);
  };
  for (const s of SIGNS) {
    if (!s.re.test(code)) continue;
    reasons.push(s.why);
    add(s.supports, s.weight);
  }
  // mm_malloc defined as such, with no DRIVER renaming: the kit's template (2010+ handout files define malloc under DRIVER).
  if (DEFINES_MM_MALLOC.test(code) && !DRIVER_SIGN.test(code) && !/\bteam_t\b/.test(code)) add(['heapgrade'], 1);

  // Prototypes: support the generations that declare them so, and rule out the ones that conflict.
  const excluded = new Map<Candidate, string>();
  for (const fn of DECLARED_FUNCTIONS) {
    const def = findDefinition(code, fn);
    if (!def || def.ret === 'other') continue;
    // The kit's template defines `bool mm_init`/`bool mm_checkheap` too (its profile's mm.h declares neither).
    const agreeing = CANDIDATES.filter((c) => declarationsOf(c)[fn] === def.ret || (c === 'heapgrade' && def.ret === 'bool'));
    if (agreeing.length > 0) {
      reasons.push(`defines \`${def.ret} ${fn}(${def.params})\` (${agreeing.join(', ')})`);
      add(agreeing, fn === 'mm_init' ? 2 : 1);
    }
    for (const c of LAB) {
      const declared = declarationsOf(c)[fn];
      if (declared && declared !== def.ret && !excluded.has(c)) excluded.set(c, `its mm.h declares \`${declared} ${fn}\``);
    }
  }

  const malloclab = MM_API.test(code) || SIGNS.some((s) => s.handout && s.re.test(code));
  if (!malloclab) {
    if (LIBC_DEF.test(code)) return { profile: 'cs341', reasons: [...reasons, 'defines malloc/calloc/realloc itself (libc style, CS 341 alloc.c)'] };
    return { profile: 'heapgrade', reasons: [...reasons, 'no handout signs found'] };
  }
  // Highest score wins; a tie goes to the earlier candidate (the older handout, then the kit's own).
  let best: Candidate | undefined;
  for (const c of CANDIDATES) {
    if (excluded.has(c) || score.get(c)! === 0) continue;
    if (best === undefined || score.get(c)! > score.get(best)!) best = c;
  }
  for (const [c, why] of excluded) if (score.get(c)! > 0) reasons.push(`not ${c}: ${why}, the file defines it otherwise`);
  if (best === 'heapgrade') reasons.push("defines mm_malloc itself, without a handout's DRIVER renaming, contracts.h or team (the kit's own template)");
  return best !== undefined ? { profile: best, reasons } : { profile: 'heapgrade', reasons: [...reasons, "defines mm_malloc without a handout's signs"] };
}
