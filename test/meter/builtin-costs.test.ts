/**
 * Builtins cost what they touch (issue 19): the same work done through
 * typed-array methods, forwarders (call/apply/bind/Reflect.apply, a builtin
 * as a callback), sort, constructors, repeat/JSON, spread and a subclass of
 * a typed array costs no less than half of it done in plain loops; what
 * cannot be charged (a regular expression, a tagged template) is refused with
 * a message.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_COST_FACTOR, modeCosts } from '../helpers/mode-costs.ts';
import { loadSubmission } from '../../harness/loader/load.ts';
import { LoadError } from '../../harness/util/errors.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/builtins/${name}`, import.meta.url));
/** README "Metering": builtin work costs at least the same loop's steps / FACTOR. */
const FACTOR = BUILTIN_COST_FACTOR;

const costs = (name: string, modes: readonly number[] = [1, 2, 3, 4, 5, 6, 7]): Promise<Record<number, number>> => modeCosts(fixture(name), modes);

describe('builtin work is charged', () => {
  it('each builtin way costs no less than the plain loops doing the same work / FACTOR', async () => {
    const hostile = await costs('builtin-work.ts');
    const control = await costs('builtin-loops.ts');
    console.log({ hostile, control });
    for (const mode of [1, 2, 3, 4, 5, 6, 7]) {
      expect({ mode, charged: hostile[mode]! >= control[mode]! / FACTOR }).toEqual({ mode, charged: true });
    }
  }, 120_000);

  it('refuses what it cannot charge: a pattern compiled from a string, a regular-expression literal, globals not endowed', async () => {
    const sub = await loadSubmission(fixture('refused.ts'));
    const inst = sub.instantiate({ seed: 1, limit: 1 << 20 });
    expect(() => inst.allocator.malloc(1)).toThrow(/String.prototype.match \(it compiles a regular expression\) cannot be metered/);
    expect(() => inst.allocator.malloc(2)).toThrow(/TextEncoder is not defined/);
    expect(() => inst.allocator.malloc(3)).toThrow(/Proxy is not defined|undefined is not a constructor/);
    const err = await loadSubmission(fixture('regex-literal.ts')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    expect((err as Error).message).toMatch(/regex-literal\.ts:\d+:\d+ uses a regular expression, which the kit cannot meter/);
    // big.fill`` runs Array.prototype.fill with no call expression to charge.
    const tagged = await loadSubmission(fixture('tagged-template.ts')).catch((e: unknown) => e);
    expect(tagged).toBeInstanceOf(LoadError);
    expect((tagged as Error).message).toMatch(/tagged-template\.ts:\d+:\d+ uses a tagged template/);
  }, 120_000);

  it("work with no call site costs no less than the plain loops doing it / FACTOR: implicit calls of builtins, rest and spread copies, implicit joins, Array(n), a function's source text", async () => {
    const modes = [1, 2, 3, 4, 5];
    const hostile = await costs('implicit-work.ts', modes);
    const control = await costs('implicit-loops.ts', modes);
    console.log({ hostile, control });
    for (const mode of modes) {
      expect({ mode, charged: hostile[mode]! >= control[mode]! / FACTOR }).toEqual({ mode, charged: true });
    }
  }, 120_000);

  it('refuses at load, naming the line and the fix, what would take a builtin out where no read can meter it', async () => {
    const refused = async (name: string): Promise<string> => {
      const err = await loadSubmission(fixture(name)).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(LoadError);
      return (err as Error).message;
    };
    expect(await refused('destructured-builtin.ts')).toMatch(/destructured-builtin\.ts: test\/fixtures\/builtins\/destructured-builtin\.ts:4:\d+ destructures the property `fill`.*read it as `o\.fill`/);
    expect(await refused('array-value.ts')).toMatch(/array-value\.ts:2:\d+ uses `Array` as a value.*call it directly/);
    expect(await refused('loop-rest.ts')).toMatch(/loop-rest\.ts:7:\d+ copies the rest of an array or object in a pattern whose value the kit cannot charge.*copy with a loop/);
  }, 120_000);
});
