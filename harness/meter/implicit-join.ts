/**
 * The implicit join: an array (or typed array) turned into a string without
 * a call site (`${arr}`, `String(arr)`, `arr + ''`, `o[arr]`, a comparison)
 * runs its toString, which joins every element natively. Those places are
 * every operator of the language, so the charge is made where they all
 * meet: the realm's own `Array.prototype.toString` (which typed arrays share)
 * is replaced, before lockdown freezes it, by one that charges the running
 * metered call one step per element and per character of its string
 * elements (a nested array charges its own) and then does what the original
 * does. Outside a metered call (the kit's own code) it charges nothing.
 *
 * A function's source text (`String(fn)`, `${fn}`, `fn.toString()`) is
 * charged the same way, by the realm's own Function.prototype.toString: one
 * step per character of the text it returns (what a loop copying it ticks).
 */
import { types } from 'node:util';
import { STEP_METER } from './step-meter.ts';

const reflectApply = Reflect.apply;
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedLength = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'length')!.get!;

/** The toString that charges (after meterImplicitJoins), by identity: builtin-costs.ts charges nothing more for it. */
export const IMPLICIT_JOIN = new Set<unknown>();

/** Installs the charging toString on Array.prototype and the typed arrays' prototype; once per thread, before lockdown. */
export function meterImplicitJoins(): void {
  if (IMPLICIT_JOIN.size > 0) return;
  const original = Array.prototype.toString as (this: unknown) => string;
  const charging = {
    toString(this: unknown): string {
      if (STEP_METER.active) chargeJoin(this);
      return reflectApply(original, this, []);
    },
  }.toString;
  for (const proto of [Array.prototype, TypedArrayPrototype]) {
    Object.defineProperty(proto, 'toString', { value: charging, writable: true, enumerable: false, configurable: true });
  }
  IMPLICIT_JOIN.add(charging);
}

/** Installs the Function.prototype.toString that charges the running call by the length of the source it returns; once per thread, before lockdown (SES's taming wraps it). */
export function meterFunctionSource(): void {
  const original = Function.prototype.toString as (this: unknown) => string;
  if (FUNCTION_SOURCE.has(original)) return;
  const charging = {
    toString(this: unknown): string {
      const text = reflectApply(original, this, []);
      if (STEP_METER.active) STEP_METER.charge(1 + text.length);
      return text;
    },
  }.toString;
  Object.defineProperty(Function.prototype, 'toString', { value: charging, writable: true, enumerable: false, configurable: true });
  FUNCTION_SOURCE.add(charging);
}

/** The charging Function.prototype.toString, by identity. */
const FUNCTION_SOURCE = new Set<unknown>();

function chargeJoin(self: unknown): void {
  if (typeof self !== 'object' || self === null || types.isProxy(self)) return STEP_METER.charge(1);
  if (types.isTypedArray(self)) return STEP_METER.charge(1 + (reflectApply(typedLength, self, []) as number));
  if (!Array.isArray(self)) return STEP_METER.charge(1);
  const n = self.length;
  // The elements first (a huge length runs out of budget here, before any walk), then the characters copied.
  STEP_METER.charge(1 + n);
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const e: unknown = self[i];
    if (typeof e === 'string') chars += e.length;
  }
  if (chars > 0) STEP_METER.charge(chars);
}
