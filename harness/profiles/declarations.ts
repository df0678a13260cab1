/**
 * How mm_init and mm_checkheap are declared: each handout generation's mm.h
 * fixed their return types (2002 `int mm_init`; 2010-2012 `int mm_init`,
 * `void mm_checkheap`; 2013-2015 `int`, `int`; 2016+ `bool`, `bool`), and a
 * student's definition that differs from the header the kit supplies is a
 * compile error (`conflicting types`). So the kit's mm.h declares them as the
 * submission defines them, and as its generation did when the file does not
 * define them (a call with no definition then fails to link, as natively).
 * `auto` uses the same reading to rule out a generation whose declarations
 * conflict with the file.
 */

export type DeclaredType = 'bool' | 'int' | 'void';

/** What a handout's mm.h declares; null: it declares nothing for that function. */
export interface HandoutDeclarations {
  mm_init: DeclaredType | null;
  mm_checkheap: DeclaredType | null;
}

export const DECLARED_FUNCTIONS = ['mm_init', 'mm_checkheap'] as const;
export type DeclaredFunction = (typeof DECLARED_FUNCTIONS)[number];

/** A definition of one of them in the submission. */
export interface Definition {
  /** The return type, or 'other' for one the kit does not declare (a typedef, `unsigned`...). */
  ret: DeclaredType | 'other';
  /** The parameter list as written, e.g. `int verbose`. */
  params: string;
  /** `static`: an extern declaration before it would be an error, so none is made. */
  isStatic: boolean;
}

/** Code without comments and string literals, so a sign in a comment does not count. */
export function codeOnly(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
}

/** The definition (not a prototype: a body follows) of `fn` in comment-free code. */
export function findDefinition(code: string, fn: DeclaredFunction): Definition | undefined {
  const re = new RegExp(`(?:^|[;}\\s])((?:(?:static|inline|extern)\\s+)*)([A-Za-z_]\\w*)\\s+${fn}\\s*\\(([^()]*)\\)\\s*\\{`);
  const m = re.exec(code);
  if (!m) return undefined;
  const word = m[2]!;
  const ret: Definition['ret'] = word === '_Bool' ? 'bool' : word === 'bool' || word === 'int' || word === 'void' ? word : 'other';
  return { ret, params: m[3]!.replace(/\s+/g, ' ').trim(), isStatic: /\bstatic\b/.test(m[1]!) };
}

/** A parameter list the kit can repeat in its header: scalar types only (a course's own typedef would be undeclared there). */
const PARAM = /^(?:const\s+)?(?:(?:unsigned|signed|long|short|int|char|bool|_Bool|size_t)\b\s*)+\**\s*(?:const\s+)?\w*$/;
function plainParams(params: string): boolean {
  return params === '' || params === 'void' || params.split(',').every((p) => PARAM.test(p.trim()));
}

/**
 * The prototypes the kit's mm.h declares for this submission, as
 * `-DHG_DECL_MM_INIT=int mm_init(void)` flags (mm.h expands them).
 */
export function declarationFlags(texts: readonly string[], handout: HandoutDeclarations): string[] {
  const code = texts.map(codeOnly).join('\n');
  const flags: string[] = [];
  for (const fn of DECLARED_FUNCTIONS) {
    const def = findDefinition(code, fn);
    let proto: string | undefined;
    if (def) {
      if (!def.isStatic && def.ret !== 'other' && plainParams(def.params)) proto = `${def.ret} ${fn}(${def.params === '' ? 'void' : def.params})`;
    } else if (handout[fn]) {
      proto = `${handout[fn]} ${fn}(${fn === 'mm_init' ? 'void' : 'int'})`;
    }
    if (proto) flags.push(`-DHG_DECL_${fn.toUpperCase()}=${proto}`);
  }
  return flags;
}
