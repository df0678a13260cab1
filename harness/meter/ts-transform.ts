/**
 * TypeScript (JavaScript) step metering: a source transform that the
 * compartment applies to ALL code it evaluates (the bundle, and anything the
 * code hands to eval or Function), inserting a call of the trusted meter at
 * every function entry and every loop iteration, so that no code path runs
 * unbounded without ticking it:
 *
 * - every function body: declarations, expressions, arrows (an expression
 *   body becomes `(meter(), expr)`), methods, getters/setters, constructors,
 *   generators and async functions (each resumption that loops ticks in the
 *   loop);
 * - every loop body: for, for-in, for-of, for-await, while, do-while; a body
 *   that is a single statement is wrapped in a block. `continue` (labelled or
 *   not) starts the body again, so it ticks again.
 *
 * Parsed with acorn (a real parser, not a pattern): the inserted text adds no
 * line breaks, so line numbers in stack traces stay those of the bundle.
 *
 * The meter's name is reserved: code that uses an identifier of that name
 * (to shadow the meter with a binding of its own, or to reassign it) is
 * refused with a load error naming the line, whatever it meant.
 */
import { parse, type Node } from 'acorn';
import { CHARGED_METHODS, READ_NAMES } from './builtin-costs.ts';

/** The global the compartment endows with the meter (frozen, non-writable). */
export const METER_GLOBAL = '__heapgrade_meter__';

/**
 * The globals of call-site metering (harness/meter/builtin-costs.ts): every
 * call of a method named in CHARGED_METHODS, every computed-name method call,
 * every `new`, every spread and every `extends` goes through one of them.
 */
export const CALL_SITE_GLOBALS = {
  call: '__heapgrade_call__',
  optionalCall: '__heapgrade_ocall__',
  apply: '__heapgrade_apply__',
  construct: '__heapgrade_new__',
  spread: '__heapgrade_spread__',
  extend: '__heapgrade_extends__',
  value: '__heapgrade_value__',
  literal: '__heapgrade_lit__',
  keep: '__heapgrade_keep__',
} as const;

/** Code the kit refuses to load, named by line: a load failure of the submission. */
export class RefusedSourceError extends SyntaxError {
  override name = 'RefusedSourceError';
  constructor(
    readonly line: number,
    readonly column: number,
    /** What is refused and the fix, without the place. */
    readonly why: string,
  ) {
    super(`line ${line}:${column + 1} ${why}`);
  }
}

/** A reserved name was used in code. */
export class ReservedNameError extends RefusedSourceError {
  override name = 'ReservedNameError';
  constructor(line: number, column: number, name: string = METER_GLOBAL) {
    super(line, column, `uses the name \`${name}\`, which the kit reserves for its step meter; rename that identifier`);
  }
}

interface Insertion {
  pos: number;
  text: string;
  /** Closing text goes before opening text inserted at the same position; closings there nest (the last inserted, an inner node's, first). */
  closing: boolean;
  /** Insertion order. */
  seq?: number;
  /** A replacement: the source up to here is dropped (its line breaks kept). */
  end?: number;
}

type AnyNode = Node & Record<string, unknown>;

export interface MeterSourceOptions {
  /**
   * The source is the compartment's own wrapper around the bundle, whose first
   * statement binds the compartment's globals (the meter among them) as locals
   * from `globalThis`: that one binding of the meter's name is the kit's and is
   * allowed. Only for the first source a compartment evaluates (never for code
   * a submission passes to eval, where `globalThis` could be its own).
   */
  kitWrapper?: boolean;
  /**
   * Route builtin work through the call-site globals (CALL_SITE_GLOBALS):
   * method calls named in CHARGED_METHODS and computed-name ones, `new`,
   * spreads and `extends`; refuse regular-expression literals. Their names
   * are reserved like the meter's.
   */
  callSites?: boolean;
}

/** Inserts the meter calls into `source`; throws ReservedNameError, or acorn's SyntaxError for code that does not parse. */
export function meterSource(source: string, meter: string = METER_GLOBAL, options: MeterSourceOptions = {}): string {
  const ast = parseAny(source);
  const reservedNames = new Set<string>([meter, ...(options.callSites ? Object.values(CALL_SITE_GLOBALS) : [])]);
  const allowed = options.kitWrapper ? kitBindingPositions(ast as AnyNode, reservedNames) : new Set<number>();
  // The wrapper itself runs once, before its binding of the meter exists: no tick at its entry.
  const wrapperStart = allowed.size > 0 ? wrapperFunction(ast as AnyNode)?.start : undefined;
  const tick = `${meter}();`;
  const ins: Insertion[] = [];
  const open = (pos: number, text: string): void => void ins.push({ pos, text, closing: false, seq: ins.length });
  const close = (pos: number, text: string): void => void ins.push({ pos, text, closing: true, seq: ins.length });
  // A replacement sorts as an opening: what a parent opens at the same position comes first.
  const replace = (pos: number, end: number, text: string): void => void ins.push({ pos, end, text: text + '\n'.repeat(lineBreaks(source, pos, end)), closing: false, seq: ins.length });
  // The wrapper's own binding of the globals (its names are the kit's, not the submission's).
  const kitDecl = allowed.size > 0 ? ((wrapperFunction(ast as AnyNode)?.['body'] as AnyNode | undefined)?.['body'] as AnyNode[] | undefined)?.[0] : undefined;
  const sites = options.callSites ? new CallSites(source, open, close, replace, kitDecl) : null;
  const keeps = options.callSites ? new KeptBindings(source, ast as AnyNode, open, close, wrapperStart) : null;

  walk(ast as AnyNode, (node, parent, key) => {
    sites?.visit(node, parent, key);
    switch (node.type) {
      case 'Identifier':
        if (reservedNames.has(node['name'] as string) && !allowed.has(node.start)) throw reserved(source, node.start, node['name'] as string);
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const body = node['body'] as AnyNode;
        if (node.start === wrapperStart) break;
        if (body.type === 'BlockStatement') open(body.start + 1, tick);
        else {
          // An expression body: (meter(), expr). The parentheses keep an object literal an expression.
          open(body.start, `(${meter}(), `);
          close(body.end, ')');
        }
        break;
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement': {
        const body = node['body'] as AnyNode;
        if (body.type === 'BlockStatement') open(body.start + 1, tick);
        else {
          open(body.start, `{${tick}`);
          close(body.end, '}');
        }
        break;
      }
    }
    // After the tick: what it inserts at a body's start goes after the tick's own text.
    keeps?.visit(node, parent, key);
  });
  // In source order; at one position a closing text (of the node that ends
  // there) goes before an opening one (of the node that starts there).
  ins.sort((a, b) => a.pos - b.pos || Number(b.closing) - Number(a.closing) || (a.closing ? b.seq! - a.seq! : a.seq! - b.seq!));
  const parts: string[] = [];
  let at = 0;
  for (const i of ins) {
    if (i.pos < at) throw new Error(`meterSource: overlapping rewrites at ${i.pos} (a kit bug)`);
    parts.push(source.slice(at, i.pos), i.text);
    at = i.end ?? i.pos;
  }
  parts.push(source.slice(at));
  return parts.join('');
}

/**
 * Positions of the meter's name in the wrapper's `const { ..., meter, ... } = globalThis;`,
 * the first statement of `(function (module, exports) { ... })`: exactly that shape, nothing else.
 */
function kitBindingPositions(program: AnyNode, names: ReadonlySet<string>): Set<number> {
  const out = new Set<number>();
  const fn = wrapperFunction(program);
  if (!fn) return out;
  const decl = ((fn['body'] as AnyNode)['body'] as AnyNode[])[0];
  if (decl?.type !== 'VariableDeclaration' || decl['kind'] !== 'const') return out;
  for (const d of decl['declarations'] as AnyNode[]) {
    const init = d['init'] as AnyNode | null;
    const id = d['id'] as AnyNode;
    if (init?.type !== 'Identifier' || init['name'] !== 'globalThis' || id.type !== 'ObjectPattern') continue;
    for (const prop of id['properties'] as AnyNode[]) {
      const key = prop['key'] as AnyNode | undefined;
      const value = prop['value'] as AnyNode | undefined;
      // Only the shorthand `{ meter }`: the local is the global's own value.
      if (prop.type === 'Property' && prop['shorthand'] === true && key?.type === 'Identifier' && names.has(key['name'] as string) && value?.type === 'Identifier') {
        out.add(key.start);
        out.add(value.start);
      }
    }
  }
  return out;
}

/** The `(function (module, exports) { ... })` a wrapper source consists of, or undefined. */
function wrapperFunction(program: AnyNode): AnyNode | undefined {
  const stmt = (program['body'] as AnyNode[])[0];
  const fn = stmt?.type === 'ExpressionStatement' ? (stmt['expression'] as AnyNode) : undefined;
  return fn?.type === 'FunctionExpression' ? fn : undefined;
}

function parseAny(source: string): Node {
  try {
    return parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
  } catch {
    // eval'd or Function code: a script (it may not be a valid module, e.g. a top-level return in Function bodies is wrapped by the engine).
    return parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true, allowReturnOutsideFunction: true });
  }
}

function lineAndColumn(source: string, pos: number): [number, number] {
  const before = source.slice(0, pos);
  return [before.split('\n').length, pos - (before.lastIndexOf('\n') + 1)];
}

function reserved(source: string, pos: number, name?: string): ReservedNameError {
  const [line, column] = lineAndColumn(source, pos);
  return new ReservedNameError(line, column, name);
}

function lineBreaks(source: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (source.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * The call-site rewrites. Each keeps the code's own evaluation order
 * (object, then name, then arguments) and its line breaks:
 *   o.m(a, b)      -> call(o, "m", a, b)        (m in CHARGED_METHODS)
 *   o[k](a)        -> call(o, k, a)
 *   o?.m(a), o.m?.(a) and calls after an optional link -> optionalCall(...)
 *                     (undefined when the object or the method is missing)
 *   super.m(a)     -> apply(super.m, this, a)
 *   new C(a)       -> construct(C, a)
 *   ...x           -> ...spread(x)
 *   extends C      -> extends extend(C)
 *   Array(n)       -> apply(Array, undefined, n)       (charged like new Array(n))
 *   [a, b], {k: v} -> literal([a, b], 17), literal({k: v}, 42) (at offsets 17, 42: the off-heap ledger sees every
 *                     table, even one filled index by index: harness/offheap/ledger.ts)
 *   const [a, ...r] = x; ({ a, ...r } = x)  -> the value through spread(x)
 * and every read that could yield a builtin as a value, so that a builtin
 * called later without a call site (as a valueOf, a getter, a callback) is
 * a metered one:
 *   o.fill, o[k], super.sort, a?.b[k]  -> value(...)   (a name of READ_NAMES, or any computed name but a number)
 * Refused (a load error naming the line and the fix): a destructured
 * property with a computed name or a name of READ_NAMES, a rest element the
 * value of which cannot be charged (nested, in parameters, in for-of), a
 * logical assignment to such a member, `with`, and `Array` used as a value.
 */
class CallSites {
  constructor(
    private readonly src: string,
    private readonly open: (pos: number, text: string) => void,
    private readonly close: (pos: number, text: string) => void,
    private readonly replace: (pos: number, end: number, text: string) => void,
    /** The kit wrapper's binding of the globals: not the submission's code. */
    private readonly kitDecl?: AnyNode,
  ) {}

  private inKitDecl(node: AnyNode): boolean {
    return this.kitDecl !== undefined && node.start >= this.kitDecl.start && node.end <= this.kitDecl.end;
  }

  /** A member read whose value may be a builtin function: a name of READ_NAMES, or a computed name that is not a number. */
  private mayYieldBuiltin(m: AnyNode): boolean {
    const prop = m['property'] as AnyNode;
    if (m['computed'] !== true) return prop.type === 'Identifier' && READ_NAMES.has(prop['name'] as string);
    return !numericKey(prop);
  }

  /** Wraps a read in value(...): what it yields is the same unless it is a builtin, which becomes its metered self. */
  private wrapValue(node: AnyNode): void {
    this.open(node.start, `${CALL_SITE_GLOBALS.value}(`);
    this.close(node.end, ')');
  }

  visit(node: AnyNode, parent?: AnyNode, key?: string): void {
    const g = CALL_SITE_GLOBALS;
    if (this.inKitDecl(node)) return;
    switch (node.type) {
      case 'WithStatement':
        throw this.refused(node.start, 'uses `with`, whose scope lookups reach builtins the kit cannot meter; name the object instead');
      case 'MemberExpression':
      case 'ChainExpression': {
        const member = node.type === 'ChainExpression' ? (node['expression'] as AnyNode) : node;
        if (member.type !== 'MemberExpression' || !this.mayYieldBuiltin(member)) break;
        // A chain is wrapped whole (its short-circuit stays inside); a member's object and a callee are not values that escape.
        if (node.type === 'MemberExpression' && parent?.type === 'ChainExpression') break;
        if (!isValueRead(parent, key)) {
          if (parent?.type === 'AssignmentExpression' && key === 'left' && ['||=', '&&=', '??='].includes(parent['operator'] as string)) {
            throw this.refused(node.start, 'uses a logical assignment (||=, &&=, ??=) to a property that may hold a builtin, whose value the kit cannot meter; write it as an `if` and a plain assignment');
          }
          break;
        }
        this.wrapValue(node);
        break;
      }
      case 'ObjectPattern':
        for (const prop of node['properties'] as AnyNode[]) {
          if (prop.type !== 'Property') continue;
          const k = prop['key'] as AnyNode;
          const name = prop['computed'] === true ? (k.type === 'Literal' && typeof k['value'] === 'string' ? (k['value'] as string) : undefined) : k.type === 'Identifier' ? (k['name'] as string) : undefined;
          if (prop['computed'] === true ? name === undefined || READ_NAMES.has(name) : name !== undefined && READ_NAMES.has(name)) {
            throw this.refused(prop.start, `destructures ${name === undefined ? 'a computed property' : `the property \`${name}\``}, which may be a builtin the kit cannot meter once it is called without a call site; read it as \`o.${name ?? 'name'}\` or \`o[k]\` instead`);
          }
        }
        break;
      case 'RestElement':
        if (parent?.type === 'ArrayPattern' || parent?.type === 'ObjectPattern') {
          if (!chargedPatterns.has(parent)) {
            throw this.refused(node.start, 'copies the rest of an array or object in a pattern whose value the kit cannot charge (nested, a parameter, a loop variable); destructure it in a statement (`const [a, ...rest] = value`) or copy with a loop');
          }
        }
        break;
      case 'VariableDeclarator': {
        const id = node['id'] as AnyNode;
        const init = node['init'] as AnyNode | null;
        if (init && hasRest(id)) {
          chargedPatterns.add(id);
          this.open(init.start, `${g.spread}(`);
          this.close(init.end, ')');
        }
        break;
      }
      case 'AssignmentExpression': {
        const left = node['left'] as AnyNode;
        if (node['operator'] === '=' && hasRest(left)) {
          chargedPatterns.add(left);
          const right = node['right'] as AnyNode;
          this.open(right.start, `${g.spread}(`);
          this.close(right.end, ')');
        }
        break;
      }
      case 'Identifier':
        if (node['name'] === 'Array' && !arrayUseAllowed(node, parent, key)) {
          throw this.refused(node.start, 'uses `Array` as a value, which would let it be called where the kit cannot charge the array it makes; call it directly (`Array(n)`, `new Array(n)`, `Array.from(...)`)');
        }
        break;
      case 'Literal':
        if (node['regex']) throw this.refused(node.start, 'uses a regular expression, which the kit cannot meter (its backtracking is not bounded by its input); an allocator does not need one');
        // BigInt arithmetic costs with the size of its operands, one operator at a time: no step could charge it.
        if (node['bigint'] !== undefined) throw this.refused(node.start, 'uses a BigInt, whose arithmetic the kit cannot meter (one operator can take seconds on a huge value); use numbers (sizes and addresses fit in 2^53)');
        break;
      case 'TaggedTemplateExpression':
        // tag`...` calls its tag (a.fill`` fills a) without a call expression the meter could charge.
        throw this.refused(node.start, 'uses a tagged template (tag`...`), which calls a function the kit cannot meter; call it with parentheses instead');
      case 'CallExpression': {
        const callee = node['callee'] as AnyNode;
        if (callee.type === 'Identifier' && callee['name'] === 'Array') {
          // Array(n) makes an n-element array like new Array(n): charged the same way.
          const args = node['arguments'] as AnyNode[];
          const paren = this.after(callee.end, '(', true);
          this.replace(callee.start, paren + 1, `${g.apply}(Array, undefined${args.length ? ', ' : ''}`);
          break;
        }
        if (callee.type !== 'MemberExpression') break;
        const prop = callee['property'] as AnyNode;
        const computed = callee['computed'] === true;
        if (!computed && (prop.type !== 'Identifier' || !CHARGED_METHODS.has(prop['name'] as string))) break;
        const object = callee['object'] as AnyNode;
        const args = node['arguments'] as AnyNode[];
        const paren = this.after(computed ? this.closingBracket(prop.end) + 1 : prop.end, '(', true);
        const rest = args.length ? ', ' : '';
        if (object.type === 'Super') {
          // super.m(a) -> apply(super.m, this, a): the method is the one super finds.
          this.open(callee.start, `${g.apply}(`);
          this.replace(callee.end, paren + 1, `, this${rest}`);
          break;
        }
        const optional = node['optional'] === true || callee['optional'] === true || hasOptionalLink(object);
        const dot = this.after(object.end, computed ? '[' : '.', false);
        this.open(callee.start, `${optional ? g.optionalCall : g.call}(`);
        if (computed) {
          this.replace(dot, prop.start, ', ');
          this.replace(prop.end, paren + 1, rest);
        } else this.replace(dot, paren + 1, `, ${JSON.stringify(prop['name'])}${rest}`);
        break;
      }
      case 'NewExpression': {
        const callee = node['callee'] as AnyNode;
        const args = node['arguments'] as AnyNode[];
        // `new` itself, then the callee as written (parentheses included).
        this.replace(node.start, node.start + 3, `${g.construct}(`);
        const paren = this.after(callee.end, '(', true, node.end);
        if (paren < 0) this.close(node.end, ')');
        else this.replace(paren, paren + 1, args.length ? ', ' : '');
        break;
      }
      case 'ArrayExpression':
      case 'ObjectExpression':
        // What it holds is counted by the off-heap ledger (sized when the phase ends); outside a phase it is one flag check.
        // Its offset is its site: a call's temporary made again by the same literal counts once (ledger.ts).
        this.open(node.start, `${g.literal}(`);
        this.close(node.end, `, ${node.start})`);
        break;
      case 'SpreadElement': {
        const arg = node['argument'] as AnyNode;
        this.open(arg.start, `${g.spread}(`);
        this.close(arg.end, ')');
        break;
      }
      case 'ForInStatement': {
        // `for (k in o)` lists all of o's keys when the loop starts, however soon it leaves: charged like a spread of o.
        // Its own parentheses: the right side may be a comma expression, which must stay one argument.
        const right = node['right'] as AnyNode;
        this.open(right.start, `${g.spread}((`);
        this.close(right.end, '))');
        break;
      }
      case 'ClassDeclaration':
      case 'ClassExpression': {
        const sup = node['superClass'] as AnyNode | null;
        if (sup) {
          this.open(sup.start, `${g.extend}(`);
          this.close(sup.end, ')');
        }
        break;
      }
    }
  }

  /**
   * The position of `token` at or after `from`, skipping blanks, comments,
   * closing parentheses of a parenthesized object and, for '(' after a
   * member name, the `?.` of an optional call. -1 when `until` comes first.
   */
  private after(from: number, token: string, optionalCall: boolean, until = -1): number {
    const s = this.src;
    let i = from;
    while (i < s.length && i !== until) {
      const c = s[i]!;
      if (c === token) return i;
      if (/\s/.test(c) || c === ')') i++;
      else if (s.startsWith('/*', i)) i = s.indexOf('*/', i + 2) + 2;
      else if (s.startsWith('//', i)) i = s.indexOf('\n', i);
      else if (c === '?' && s[i + 1] === '.') {
        // `o?.m` / `o?.[k]`: the member starts at `?.` (replaced with it); `m?.(` is an optional call.
        if (token === '.' || token === '[') return i;
        if (optionalCall) i += 2;
        else break;
      } else break;
      if (i < from) break;
    }
    if (until >= 0) return -1;
    throw this.refused(from, 'has a call the kit could not rewrite to meter it (a kit limitation: please report it)');
  }

  /** The `]` that closes a computed member name ending at `from`. */
  private closingBracket(from: number): number {
    return this.after(from, ']', false);
  }

  private refused(pos: number, why: string): RefusedSourceError {
    const [line, column] = lineAndColumn(this.src, pos);
    return new RefusedSourceError(line, column, why);
  }
}

/**
 * The bindings whose values can outlive the call that set them, handed to
 * the off-heap ledger as they are set (`keep(value, site)`, ledger.ts), so
 * that a table the ledger never met, or met while it was small, is found
 * when it is sized again (the ledger walks what these values reach):
 *   x = v, x ??= v            -> x = keep(v, 17)      (any identifier: a closure's or the module's variable)
 *   x = () => {};             -> the statement, then `;keep(x, 17);`   (the function keeps its inferred name)
 *   [a, b] = v;, for (x of xs) -> keep(a, ..), keep(b, ..) after it, or where each iteration starts
 *   this.#t = v, #t = v        -> the value through keep   (a private field is no property a walk can list)
 * and, in a function that can keep its own locals alive (one that makes a
 * function or class, a generator, an async function) and at the bundle's top
 * level:
 *   const t = v               -> const t = keep(v, 23)
 *   const f = () => {}, { a = [] } = v, class C {}  -> the statement, then `;keep(f, 30);keep(a, 41);`
 *   function f() {}           -> `keep(f, 50);` where its block starts (it exists from there)
 *   (a, ...r) => ..., catch (e), for (const x of xs)  -> `keep(a, 60);...` where the body starts
 *   `arguments` or `this` that an arrow inside uses -> `keep(arguments, 70);` where the body starts
 * What is plainly not an object (a number, a string, arithmetic) is left
 * alone. Refused (a load error naming the line): a destructuring assignment
 * inside a larger expression, whose names could not be kept without
 * changing its value.
 */
class KeptBindings {
  /** Functions (and the Program) whose locals a closure, a generator or an async function can keep alive. */
  private readonly keeping = new Set<AnyNode>();
  /** The nearest function (or the Program) around each declaration, class declaration and catch clause. */
  private readonly scopeOf = new Map<AnyNode, AnyNode>();
  /** Functions (not arrows) whose `arguments` / `this` an arrow inside them uses. */
  private readonly argumentsInArrow = new Set<AnyNode>();
  private readonly thisInArrow = new Set<AnyNode>();
  private readonly g = CALL_SITE_GLOBALS.keep;

  constructor(
    private readonly src: string,
    program: AnyNode,
    private readonly open: (pos: number, text: string) => void,
    private readonly close: (pos: number, text: string) => void,
    /** The kit's wrapper function: its parameters and its binding of the globals are not the submission's. */
    private readonly wrapperStart?: number,
  ) {
    this.keeping.add(program);
    const fns: AnyNode[] = [program];
    const enter = (node: AnyNode): void => {
      if (isFunction(node) || node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
        // Every function around it may have its locals captured by it.
        for (const f of fns) this.keeping.add(f);
      }
      if (isFunction(node) && (node['generator'] === true || node['async'] === true)) this.keeping.add(node);
      if (node.type === 'VariableDeclaration' || node.type === 'ClassDeclaration' || node.type === 'CatchClause' || node.type === 'FunctionDeclaration') this.scopeOf.set(node, fns[fns.length - 1]!);
      const used = node.type === 'ThisExpression' ? this.thisInArrow : node.type === 'Identifier' && node['name'] === 'arguments' ? this.argumentsInArrow : undefined;
      if (used !== undefined) {
        // The function whose `this`/`arguments` it is: the nearest that is not an arrow, if an arrow lies between.
        let i = fns.length - 1;
        while (i > 0 && fns[i]!.type === 'ArrowFunctionExpression') i--;
        if (i < fns.length - 1 && i > 0) used.add(fns[i]!);
      }
    };
    const visit = (node: AnyNode): void => {
      enter(node);
      const fn = isFunction(node);
      if (fn) fns.push(node);
      for (const key of Object.keys(node)) {
        if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
        const v = node[key];
        if (Array.isArray(v)) {
          for (const c of v) if (c && typeof c === 'object' && typeof (c as AnyNode).type === 'string') visit(c as AnyNode);
        } else if (v && typeof v === 'object' && typeof (v as AnyNode).type === 'string') visit(v as AnyNode);
      }
      if (fn) fns.pop();
    };
    visit(program);
  }

  private call(name: string, site: number): string {
    return `${this.g}(${name}, ${site})`;
  }

  /** `keep(a, 1);keep(b, 2);` for the identifiers given. */
  private keepAll(ids: AnyNode[], sep = ';'): string {
    return ids.map((id) => this.call(id['name'] as string, id.start) + sep).join('');
  }

  private keeps(node: AnyNode): boolean {
    const scope = this.scopeOf.get(node);
    return scope !== undefined && this.keeping.has(scope) && scope.start !== this.wrapperStart;
  }

  /** Wraps an expression in keep(..., site). */
  private wrap(expr: AnyNode, site: number): void {
    this.open(expr.start, `${this.g}(`);
    this.close(expr.end, `, ${site})`);
  }

  /** Where a block's statements start: after its `{` (a static block's comes after `static`). */
  private blockStart(block: AnyNode): number {
    if (block.type !== 'StaticBlock') return block.start + 1;
    let i = block.start + 'static'.length;
    const s = this.src;
    while (i < block.end && s[i] !== '{') {
      if (s.startsWith('/*', i)) i = s.indexOf('*/', i + 2) + 2;
      else if (s.startsWith('//', i)) i = s.indexOf('\n', i);
      else i++;
    }
    return i + 1;
  }

  /** Keeps the names at the start of a loop's body (each iteration binds them again). */
  private atLoopBody(loop: AnyNode, ids: AnyNode[]): void {
    if (ids.length === 0) return;
    const body = loop['body'] as AnyNode;
    this.open(body.type === 'BlockStatement' ? body.start + 1 : body.start, this.keepAll(ids));
  }

  visit(node: AnyNode, parent: AnyNode | undefined, key: string | undefined): void {
    switch (node.type) {
      case 'AssignmentExpression': {
        const left = node['left'] as AnyNode;
        const right = node['right'] as AnyNode;
        const statement = parent?.type === 'ExpressionStatement';
        if (left.type === 'Identifier') {
          if (!['=', '||=', '&&=', '??='].includes(node['operator'] as string) || plainlyPrimitive(right)) break;
          // Wrapping a function would lose the name it takes from `x` (shown in stack traces): kept after the statement.
          if (isAnonymousDefinition(right) && statement) this.close(parent!.end, `;${this.call(left['name'] as string, node.start)};`);
          else this.wrap(right, node.start);
        } else if (left.type === 'MemberExpression') {
          // A private field is no property a walk can list: its value is kept as it is set.
          if ((left['property'] as AnyNode).type === 'PrivateIdentifier' && !plainlyPrimitive(right)) this.wrap(right, node.start);
        } else if (left.type === 'ArrayPattern' || left.type === 'ObjectPattern') {
          const ids = boundNames(left);
          if (ids.length === 0) break;
          if (!statement) {
            const [line, column] = lineAndColumn(this.src, node.start);
            throw new RefusedSourceError(line, column, 'destructures into variables inside a larger expression, whose values the kit cannot follow for the off-heap rule; make it a statement of its own (`[a, b] = value;`)');
          }
          this.close(node.end, ids.map((id) => `, ${this.call(id['name'] as string, id.start)}`).join(''));
        }
        break;
      }
      case 'PropertyDefinition': {
        const value = node['value'] as AnyNode | null;
        if (value !== null && (node['key'] as AnyNode).type === 'PrivateIdentifier' && !plainlyPrimitive(value)) this.wrap(value, node.start);
        break;
      }
      case 'ForInStatement':
      case 'ForOfStatement': {
        // `for (x of xs)`: an existing variable given each element.
        const left = node['left'] as AnyNode;
        if (left.type !== 'VariableDeclaration') this.atLoopBody(node, boundNames(left));
        break;
      }
      case 'VariableDeclaration': {
        if (!this.keeps(node)) break;
        const inLoopHead = parent !== undefined && (parent.type === 'ForStatement' || parent.type === 'ForInStatement' || parent.type === 'ForOfStatement') && key !== 'body';
        const after: AnyNode[] = [];
        for (const d of node['declarations'] as AnyNode[]) {
          const id = d['id'] as AnyNode;
          const init = d['init'] as AnyNode | null;
          if (id.type === 'Identifier' && init !== null && !isAnonymousDefinition(init)) {
            if (!plainlyPrimitive(init)) this.wrap(init, id.start);
          } else if (id.type !== 'Identifier' || init !== null || inLoopHead) {
            // A pattern (a rest, a default are new values), a named function, a loop's variable: each name, once bound.
            after.push(...boundNames(id));
          }
        }
        if (after.length === 0) break;
        if (inLoopHead) this.atLoopBody(parent!, after);
        else this.close(node.end, ';' + this.keepAll(after));
        break;
      }
      case 'FunctionDeclaration': {
        if (!this.keeps(node) || parent === undefined) break;
        const id = node['id'] as AnyNode | null;
        if (id === null) break;
        // Hoisted: the function exists from the start of its block.
        const at = parent.type === 'BlockStatement' || parent.type === 'StaticBlock' ? this.blockStart(parent) : parent.type === 'Program' ? 0 : node.start;
        this.open(at, this.call(id['name'] as string, id.start) + ';');
        break;
      }
      case 'ClassDeclaration': {
        const id = node['id'] as AnyNode | null;
        if (id !== null && this.keeps(node) && (key === 'body' || key === 'consequent')) this.close(node.end, `;${this.call(id['name'] as string, id.start)};`);
        break;
      }
      case 'CatchClause': {
        const param = node['param'] as AnyNode | null;
        if (param !== null && this.keeps(node)) this.open((node['body'] as AnyNode).start + 1, this.keepAll(boundNames(param)));
        break;
      }
    }
    if (isFunction(node) && this.keeping.has(node) && node.start !== this.wrapperStart) {
      const body = node['body'] as AnyNode;
      let text = this.keepAll(boundNames(node['params'] as AnyNode[]), body.type === 'BlockStatement' ? ';' : ', ');
      // What an arrow inside keeps of this call: its `arguments`, its `this` (not a constructor's: it is the `new` object).
      const sep = body.type === 'BlockStatement' ? ';' : ', ';
      if (this.argumentsInArrow.has(node)) text += `${this.call('arguments', node.start)}${sep}`;
      if (this.thisInArrow.has(node) && !(parent?.type === 'MethodDefinition' && parent['kind'] === 'constructor')) text += `${this.call('this', node.start)}${sep}`;
      if (text === '') return;
      if (body.type === 'BlockStatement') this.open(body.start + 1, text);
      else this.open(body.start, text);
    }
  }
}

function isFunction(node: AnyNode): boolean {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

/** An anonymous function or class, which takes its name from the binding it is assigned to. */
function isAnonymousDefinition(node: AnyNode): boolean {
  return (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression' || node.type === 'ClassExpression') && node['id'] == null;
}

/** An expression whose value can only be a primitive (never a table). */
function plainlyPrimitive(node: AnyNode): boolean {
  switch (node.type) {
    case 'Literal':
    case 'TemplateLiteral':
    case 'UnaryExpression':
    case 'UpdateExpression':
    case 'BinaryExpression':
      return true;
    default:
      return false;
  }
}

/** The identifiers a binding pattern (or a list of parameters) binds. */
function boundNames(pattern: AnyNode | AnyNode[]): AnyNode[] {
  const out: AnyNode[] = [];
  const visit = (p: AnyNode | null | undefined): void => {
    if (!p) return;
    switch (p.type) {
      case 'Identifier':
        out.push(p);
        break;
      case 'ArrayPattern':
        for (const e of p['elements'] as (AnyNode | null)[]) visit(e);
        break;
      case 'ObjectPattern':
        for (const prop of p['properties'] as AnyNode[]) visit(prop.type === 'RestElement' ? prop : (prop['value'] as AnyNode));
        break;
      case 'RestElement':
        visit(p['argument'] as AnyNode);
        break;
      case 'AssignmentPattern':
        visit(p['left'] as AnyNode);
        break;
    }
  };
  for (const p of Array.isArray(pattern) ? pattern : [pattern]) visit(p);
  return out;
}

/** Patterns whose value went through spread(...), so their rest element is charged. */
const chargedPatterns = new WeakSet<AnyNode>();

/** A pattern with a rest element of its own (not a nested one's). */
function hasRest(pattern: AnyNode): boolean {
  if (pattern.type === 'ArrayPattern') return (pattern['elements'] as (AnyNode | null)[]).some((e) => e?.type === 'RestElement');
  if (pattern.type === 'ObjectPattern') return (pattern['properties'] as AnyNode[]).some((p) => p.type === 'RestElement');
  return false;
}

/** A computed key that is a number: a literal number, or arithmetic other than `+` (which may join strings). */
function numericKey(k: AnyNode): boolean {
  if (k.type === 'Literal') return typeof k['value'] === 'number';
  if (k.type === 'UpdateExpression') return true;
  if (k.type === 'UnaryExpression') return ['-', '+', '~'].includes(k['operator'] as string);
  if (k.type === 'BinaryExpression') return !['+', 'in', 'instanceof'].includes(k['operator'] as string) && !['==', '!=', '===', '!==', '<', '>', '<=', '>='].includes(k['operator'] as string);
  return false;
}

/** Whether a member read at this place yields a value the code can keep (not a callee, an object read through, or a target). */
function isValueRead(parent: AnyNode | undefined, key: string | undefined): boolean {
  if (!parent) return true;
  switch (parent.type) {
    case 'CallExpression':
    case 'NewExpression':
    case 'TaggedTemplateExpression':
      return key !== 'callee' && key !== 'tag';
    case 'MemberExpression':
      return key !== 'object';
    case 'AssignmentExpression':
      return key !== 'left';
    case 'UpdateExpression':
      return false;
    case 'UnaryExpression':
      return parent['operator'] !== 'delete';
    case 'ForInStatement':
    case 'ForOfStatement':
      return key !== 'left';
    default:
      return true;
  }
}

/** Where the identifier `Array` may appear: called, constructed, read through, compared with instanceof, extended, or as a name that is not a reference. */
function arrayUseAllowed(node: AnyNode, parent: AnyNode | undefined, key: string | undefined): boolean {
  if (!parent) return false;
  switch (parent.type) {
    case 'CallExpression':
    case 'NewExpression':
      return key === 'callee';
    case 'MemberExpression':
      return key === 'object' || (key === 'property' && parent['computed'] !== true);
    case 'BinaryExpression':
      return key === 'right' && parent['operator'] === 'instanceof';
    case 'ClassDeclaration':
    case 'ClassExpression':
      return key === 'superClass';
    case 'Property':
    case 'MethodDefinition':
    case 'PropertyDefinition':
      return key === 'key' && parent['computed'] !== true && parent['shorthand'] !== true;
    default:
      return node === undefined;
  }
}

/** Whether a member/call chain below this object has an optional link (`a?.b.c(...)` short-circuits at `a`). */
function hasOptionalLink(node: AnyNode): boolean {
  let n: AnyNode | undefined = node;
  while (n && (n.type === 'MemberExpression' || n.type === 'CallExpression')) {
    if (n['optional'] === true) return true;
    n = (n.type === 'MemberExpression' ? n['object'] : n['callee']) as AnyNode;
  }
  return false;
}

/** Visits every node, parents before children, with its parent and the parent's key that holds it. */
function walk(node: AnyNode, visit: (n: AnyNode, parent: AnyNode | undefined, key: string | undefined) => void, parent?: AnyNode, at?: string): void {
  visit(node, parent, at);
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c === 'object' && typeof (c as AnyNode).type === 'string') walk(c as AnyNode, visit, node, key);
    } else if (v && typeof v === 'object' && typeof (v as AnyNode).type === 'string') walk(v as AnyNode, visit, node, key);
  }
}
