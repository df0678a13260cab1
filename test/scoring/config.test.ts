import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../harness/config/defaults.ts';
import { loadConfig, resolveConfig } from '../../harness/config/load.ts';
import { validateConfig } from '../../harness/config/validate.ts';
import { planWorkloads, selectWorkloads } from '../../harness/config/workloads.ts';
import { exampleConfig } from '../../harness/config/write-example.ts';

const ctx = { source: 'heapgrade.config.json', knownChecks: ['alignment', 'overlap'], knownWorkloads: ['binary', 'coalescing'] };
const errorsOf = (raw: unknown): string[] => validateConfig(raw, ctx).errors;

describe('validateConfig', () => {
  it('accepts an empty object and fills every default', () => {
    const r = validateConfig({}, ctx);
    expect(r.errors).toEqual([]);
    expect(r.config).toStrictEqual(DEFAULT_CONFIG);
  });

  it('accepts the example configuration written at the repo root', () => {
    expect(validateConfig(exampleConfig(), { source: 'x', knownWorkloads: ['binary'] }).errors).toEqual([]);
  });

  it('names the file, the key and the value for a bad workload weight', () => {
    expect(errorsOf({ workloads: { binary: { weight: 'high' } } })).toEqual([
      'heapgrade.config.json: `workloads.binary.weight` must be a non-negative number, got "high"',
    ]);
  });

  it('collects every problem, not only the first', () => {
    const errors = errorsOf({
      utilWeight: 2,
      speed: 'fast',
      alignment: 4,
      heapLimit: -1,
      callTimeoutMs: 0.5,
      malloc0: 'zero',
      realloc0: 'keep',
      onlyListedWorkloads: 'yes',
    });
    expect(errors).toEqual([
      'heapgrade.config.json: `utilWeight` must be a number from 0 to 1, got 2',
      'heapgrade.config.json: `speed` must be one of "wallclock", "cost", got "fast"',
      'heapgrade.config.json: `alignment` must be one of 8, 16, got 4',
      'heapgrade.config.json: `heapLimit` must be an integer from 0 to 2147483648 (bytes), got -1',
      'heapgrade.config.json: `callTimeoutMs` must be a positive integer, got 0.5',
      'heapgrade.config.json: `malloc0` must be one of "any", "null", "unique", got "zero"',
      'heapgrade.config.json: `realloc0` must be one of "any", "free", "minimal", got "keep"',
      'heapgrade.config.json: `onlyListedWorkloads` must be true or false, got "yes"',
    ]);
  });

  it('suggests the key a typo meant', () => {
    expect(errorsOf({ utilisation: { min: 0.5 } })[0]).toMatch(/^heapgrade\.config\.json: `utilisation` is not a configuration key; did you mean `utilization`\?/);
    expect(errorsOf({ utilization: { mni: 0.5 } })[0]).toMatch(/`utilization\.mni` is not a key of `utilization`; did you mean `min`\?/);
    expect(errorsOf({ zzzzzzzz: 1 })[0]).toMatch(/`zzzzzzzz` is not a configuration key; remove it \(known: /);
  });

  it('rejects non-objects where objects belong', () => {
    expect(errorsOf(42)).toEqual(['heapgrade.config.json: the configuration must be an object ({ ... }), got 42']);
    expect(errorsOf({ timing: 3 })[0]).toBe('heapgrade.config.json: `timing` must be an object with keys rounds, minSampleMs, clock, got 3');
    expect(errorsOf({ checks: [] })[0]).toMatch(/`checks` must be an object mapping check names to points/);
    expect(errorsOf({ workloads: 'all' })[0]).toMatch(/`workloads` must be an object mapping workload names/);
    expect(errorsOf({ workloads: { binary: 1 } })[0]).toMatch(/`workloads\.binary` must be an object like/);
  });

  it('checks nested values', () => {
    expect(errorsOf({ timing: { rounds: 0, minSampleMs: -1 } })).toEqual([
      'heapgrade.config.json: `timing.rounds` must be an integer from 1 to 101, got 0',
      'heapgrade.config.json: `timing.minSampleMs` must be a non-negative number, got -1',
    ]);
    expect(errorsOf({ property: { numRuns: 0 } })).toEqual(['heapgrade.config.json: `property.numRuns` must be a positive integer, got 0']);
    expect(errorsOf({ utilization: { max: 1.5 } })[0]).toBe('heapgrade.config.json: `utilization.max` must be a number from 0 to 1, got 1.5');
    expect(errorsOf({ workloads: { binary: { hidden: 1, file: '' } } })).toEqual([
      'heapgrade.config.json: `workloads.binary.hidden` must be true or false, got 1',
      'heapgrade.config.json: `workloads.binary.file` must be a non-empty string (a path), got ""',
    ]);
  });

  it('rejects unknown check and workload names, with the known ones', () => {
    expect(errorsOf({ checks: { alignmnt: 5 } })).toEqual([
      'heapgrade.config.json: `checks.alignmnt` names no correctness check; did you mean `alignment`? (known: alignment, overlap)',
    ]);
    expect(errorsOf({ checks: { overlap: -2 } })[0]).toBe(
      'heapgrade.config.json: `checks.overlap` must be a non-negative number, got -2 (the points the check is worth)',
    );
    expect(errorsOf({ workloads: { binry: { weight: 2 } } })[0]).toMatch(
      /`workloads\.binry` names no built-in workload; did you mean `binary`, or add "file"/,
    );
    expect(errorsOf({ workloads: { mine: { file: 'x.rep' } } })).toEqual([]);
  });

  it('checks the rules between keys', () => {
    expect(errorsOf({ score: { correctness: 50, performance: 40 } })).toEqual([
      'heapgrade.config.json: `score` correctness + performance must add up to 100 points, got 50 + 40 = 90; change one of them',
    ]);
    expect(errorsOf({ utilization: { min: 0.8, max: 0.7 } })).toEqual([
      'heapgrade.config.json: `utilization.min` must be below `utilization.max`, got min 0.8 and max 0.7; swap them or lower min',
    ]);
    expect(errorsOf({ throughput: { min: 1, max: 1 } })[0]).toMatch(/`throughput\.min` must be below `throughput\.max`/);
    expect(errorsOf({ onlyListedWorkloads: true })[0]).toMatch(/`onlyListedWorkloads` is true but `workloads` names none/);
  });

  it('derives the other share when the configuration names one', () => {
    expect(resolveConfig({ score: { correctness: 30 } }).score).toEqual({ correctness: 30, performance: 70 });
    expect(resolveConfig({ score: { performance: 100 } }).score).toEqual({ correctness: 0, performance: 100 });
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hg-config-'));

  it('uses the defaults when there is no file', async () => {
    const r = await loadConfig(undefined, {}, dir);
    expect(r.file).toBeUndefined();
    expect(r.config).toStrictEqual(DEFAULT_CONFIG);
  });

  it('finds heapgrade.config.json in the directory and lists every problem in one error', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'hg-config-'));
    writeFileSync(path.join(d, 'heapgrade.config.json'), JSON.stringify({ utilWeight: 'x', speed: 1 }));
    await expect(loadConfig(undefined, {}, d)).rejects.toThrow(
      '2 problems in the configuration:\n  - heapgrade.config.json: `utilWeight` must be a number from 0 to 1, got "x"\n  - heapgrade.config.json: `speed`',
    );
  });

  it('reads a .ts default export and resolves against its directory', async () => {
    const f = path.join(dir, 'grading.config.ts');
    writeFileSync(f, 'export default { speed: "cost", workloads: { mine: { file: "t/mine.rep", hidden: true } } };\n');
    const r = await loadConfig(f, {}, dir);
    expect(r.config.speed).toBe('cost');
    const plan = planWorkloads(r.config, [], r.dir);
    expect(plan).toEqual([
      { name: 'mine', description: "the configuration's own trace t/mine.rep", file: path.join(dir, 't/mine.rep'), weight: 1, hidden: true },
    ]);
  });

  it('reports bad JSON, a missing file, a missing default export and an unknown format', async () => {
    writeFileSync(path.join(dir, 'bad.json'), '{ "speed": ');
    await expect(loadConfig('bad.json', {}, dir)).rejects.toThrow(/^bad\.json: not valid JSON \(.*\); fix the syntax$/);
    await expect(loadConfig('nope.json', {}, dir)).rejects.toThrow('nope.json: configuration file not found; check the --config path');
    writeFileSync(path.join(dir, 'nodefault.ts'), 'export const x = 1;\n');
    await expect(loadConfig('nodefault.ts', {}, dir)).rejects.toThrow('nodefault.ts: has no default export; write `export default { ... }`');
    writeFileSync(path.join(dir, 'c.yaml'), 'speed: cost\n');
    await expect(loadConfig('c.yaml', {}, dir)).rejects.toThrow('c.yaml: unknown configuration format; use a .json file or a .ts/.js module');
  });
});

describe('planWorkloads', () => {
  const builtins = [
    { name: 'binary', description: 'b', file: '/w/binary.rep', defaultWeight: 1 },
    { name: 'coalescing', description: 'c', file: '/w/coalescing.rep', defaultWeight: 2, limit: 1024 },
  ];

  it('applies overrides, drops weight-0 workloads and honours onlyListedWorkloads', () => {
    const c1 = resolveConfig({ workloads: { binary: { weight: 0 }, coalescing: { hidden: true } } });
    expect(planWorkloads(c1, builtins, '/cfg')).toEqual([
      { name: 'coalescing', description: 'c', file: '/w/coalescing.rep', weight: 2, hidden: true, limit: 1024 },
    ]);
    const c2 = resolveConfig({ onlyListedWorkloads: true, workloads: { binary: { weight: 3 } } });
    expect(planWorkloads(c2, builtins, '/cfg').map((w) => [w.name, w.weight])).toEqual([['binary', 3]]);
  });

  it('selects workloads by name and rejects unknown names', () => {
    const plan = planWorkloads(resolveConfig({}), builtins, '/cfg');
    expect(selectWorkloads(plan, ['coalescing']).map((w) => w.name)).toEqual(['coalescing']);
    expect(() => selectWorkloads(plan, ['nope'])).toThrow('--workloads: no workload named `nope`; available: binary, coalescing');
  });
});
