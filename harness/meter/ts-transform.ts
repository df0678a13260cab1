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

/** The global the compartment endows with the meter (frozen, non-writable). */
export const METER_GLOBAL = '__heapgrade_meter__';

/** The reserved name was used in code: a load failure of the submission. */
export class ReservedNameError extends SyntaxError {
  override name = 'ReservedNameError';
  constructor(
    readonly line: number,
    readonly column: number,
  ) {
    super(
      `line ${line}:${column + 1} uses the name \`${METER_GLOBAL}\`, which the kit reserves for its step meter; rename that identifier`,
    );
  }
}

interface Insertion {
  pos: number;
  text: string;
  /** Closing text goes before opening text inserted at the same position. */
  closing: boolean;
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
}

/** Inserts the meter calls into `source`; throws ReservedNameError, or acorn's SyntaxError for code that does not parse. */
export function meterSource(source: string, meter: string = METER_GLOBAL, options: MeterSourceOptions = {}): string {
  const ast = parseAny(source);
  const allowed = options.kitWrapper ? kitBindingPositions(ast as AnyNode, meter) : new Set<number>();
  // The wrapper itself runs once, before its binding of the meter exists: no tick at its entry.
  const wrapperStart = allowed.size > 0 ? wrapperFunction(ast as AnyNode)?.start : undefined;
  const tick = `${meter}();`;
  const ins: Insertion[] = [];
  const open = (pos: number, text: string): void => void ins.push({ pos, text, closing: false });
  const close = (pos: number, text: string): void => void ins.push({ pos, text, closing: true });

  walk(ast as AnyNode, (node) => {
    switch (node.type) {
      case 'Identifier':
        if (node['name'] === meter && !allowed.has(node.start)) throw reserved(source, node.start);
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
  });
  // In source order; at one position a closing text (of the node that ends
  // there) goes before an opening one (of the node that starts there).
  ins.sort((a, b) => a.pos - b.pos || Number(b.closing) - Number(a.closing));
  const parts: string[] = [];
  let at = 0;
  for (const i of ins) {
    parts.push(source.slice(at, i.pos), i.text);
    at = i.pos;
  }
  parts.push(source.slice(at));
  return parts.join('');
}

/**
 * Positions of the meter's name in the wrapper's `const { ..., meter, ... } = globalThis;`,
 * the first statement of `(function (module, exports) { ... })`: exactly that shape, nothing else.
 */
function kitBindingPositions(program: AnyNode, meter: string): Set<number> {
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
      if (prop.type === 'Property' && prop['shorthand'] === true && key?.type === 'Identifier' && key['name'] === meter && value?.type === 'Identifier') {
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

function reserved(source: string, pos: number): ReservedNameError {
  const before = source.slice(0, pos);
  const line = before.split('\n').length;
  return new ReservedNameError(line, pos - (before.lastIndexOf('\n') + 1));
}

/** Visits every node, parents before children. */
function walk(node: AnyNode, visit: (n: AnyNode) => void): void {
  visit(node);
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c === 'object' && typeof (c as AnyNode).type === 'string') walk(c as AnyNode, visit);
    } else if (v && typeof v === 'object' && typeof (v as AnyNode).type === 'string') walk(v as AnyNode, visit);
  }
}
