/**
 * Validates a configuration object and fills the defaults. Every problem is
 * collected (not only the first), each naming the file, the key and the fix.
 */
import { DEFAULT_CONFIG } from './defaults.ts';
import { MAX_C_BUDGET } from '../meter/budget.ts';
import {
  boolean,
  closest,
  fraction,
  got,
  integerIn,
  isPlainObject,
  nonEmptyString,
  nonNegativeNumber,
  oneOf,
  positiveInteger,
  type Rule,
} from './rules.ts';
import path from 'node:path';
import { profileSettingProblem, resolveProfile } from '../profiles/resolve.ts';
import type { Config, WorkloadSetting } from './types.ts';

export interface ValidateContext {
  /** Names the file in every message, e.g. `heapgrade.config.json`. */
  source: string;
  /** Check names the correctness suite defines; when given, unknown names in `checks` are errors. */
  knownChecks?: readonly string[];
  /** Built-in workload names; when given, a `workloads` entry without `file` must name one. */
  knownWorkloads?: readonly string[];
  /** Where a relative `profile` file is found (the configuration file's folder). @default the working directory */
  dir?: string;
}

export type ValidateResult = { config: Config; errors: [] } | { config: null; errors: string[] };

/** Scalar keys at the top level and inside the nested objects, with their rules. */
const SCALARS: Record<string, Rule> = {
  onlyListedWorkloads: boolean,
  utilWeight: fraction,
  speed: oneOf(['wallclock', 'cost']),
  heapLimit: integerIn(0, 2 ** 31, ' (bytes)'),
  alignment: oneOf([8, 16]),
  callTimeoutMs: positiveInteger,
  staticDataLimit: integerIn(0, 2 ** 31, ' (bytes)'),
  offHeapForfeitsPerformance: boolean,
  malloc0: oneOf(['any', 'null', 'unique']),
  realloc0: oneOf(['any', 'free', 'minimal']),
  sandbox: oneOf(['required', 'auto']),
};

const NESTED: Record<string, Record<string, Rule>> = {
  score: { correctness: nonNegativeNumber, performance: nonNegativeNumber },
  utilization: { min: fraction, max: fraction },
  throughput: { min: nonNegativeNumber, max: nonNegativeNumber },
  timing: { rounds: integerIn(1, 101), minSampleMs: nonNegativeNumber, clock: oneOf(['cpu', 'wall']) },
  property: { timeLimitMs: nonNegativeNumber, numRuns: positiveInteger, stepBudget: positiveInteger },
  stepBudget: { c: integerIn(1, MAX_C_BUDGET, ' (wasm instructions per call)'), ts: positiveInteger },
};

const WORKLOAD_KEYS: Record<string, Rule> = { weight: nonNegativeNumber, hidden: boolean, file: nonEmptyString };

const TOP_KEYS = [...Object.keys(SCALARS), ...Object.keys(NESTED), 'checks', 'workloads', 'profile', '$schema'];

export function validateConfig(raw: unknown, ctx: ValidateContext): ValidateResult {
  const errors: string[] = [];
  const fail = (key: string, problem: string): void => void errors.push(`${ctx.source}: \`${key}\` ${problem}`);
  if (!isPlainObject(raw)) {
    return { config: null, errors: [`${ctx.source}: the configuration must be an object ({ ... }), ${got(raw)}`] };
  }
  const config = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>;
  // The profile first: it sets defaults that the file's own keys then override.
  if ('profile' in raw) applyProfileKey(raw.profile, ctx, config, fail);

  for (const [key, value] of Object.entries(raw)) {
    if (key === '$schema' || key === 'profile') continue;
    const rule = SCALARS[key];
    const nested = NESTED[key];
    if (rule) {
      const p = rule(value);
      if (p) fail(key, p);
      else config[key] = value;
    } else if (nested) {
      config[key] = checkObject(key, value, nested, config[key] as Record<string, unknown>, fail);
    } else if (key === 'checks') {
      config.checks = checkChecks(value, ctx, fail);
    } else if (key === 'workloads') {
      config.workloads = checkWorkloads(value, ctx, fail);
    } else {
      fail(key, unknownKey(key, TOP_KEYS, 'is not a configuration key'));
    }
  }
  crossChecks(raw, config as unknown as Config, fail);
  return errors.length > 0 ? { config: null, errors } : { config: config as unknown as Config, errors: [] };
}

type Fail = (key: string, problem: string) => void;

function applyProfileKey(value: unknown, ctx: ValidateContext, config: Record<string, unknown>, fail: Fail): void {
  const p = profileSettingProblem(value);
  if (p) return fail('profile', p);
  const setting = value as string;
  if (setting === 'auto') {
    config.profile = 'auto'; // decided per submission, by the command that loads it
    return;
  }
  try {
    const abs = setting.endsWith('.json') ? path.resolve(ctx.dir ?? process.cwd(), setting) : setting;
    const { profile } = resolveProfile(abs, []);
    config.profile = abs;
    config.alignment = profile.alignment;
    config.heapLimit = profile.heapLimit;
    config.staticDataLimit = profile.staticDataLimit;
  } catch (e) {
    fail('profile', (e as Error).message);
  }
}

function unknownKey(key: string, known: readonly string[], what: string): string {
  const near = closest(key, known);
  const hint = near ? `did you mean \`${near}\`?` : `remove it`;
  return `${what}; ${hint} (known: ${known.filter((k) => k !== '$schema').join(', ')})`;
}

function checkObject(
  key: string,
  value: unknown,
  rules: Record<string, Rule>,
  base: Record<string, unknown>,
  fail: Fail,
): Record<string, unknown> {
  if (!isPlainObject(value)) {
    fail(key, `must be an object with keys ${Object.keys(rules).join(', ')}, ${got(value)}`);
    return base;
  }
  const out = { ...base };
  for (const [k, v] of Object.entries(value)) {
    const rule = rules[k];
    if (!rule) {
      fail(`${key}.${k}`, unknownKey(k, Object.keys(rules), `is not a key of \`${key}\``));
      continue;
    }
    const p = rule(v);
    if (p) fail(`${key}.${k}`, p);
    else out[k] = v;
  }
  return out;
}

function checkChecks(value: unknown, ctx: ValidateContext, fail: Fail): Record<string, number> {
  if (!isPlainObject(value)) {
    fail('checks', `must be an object mapping check names to points, e.g. { "alignment": 5 }, ${got(value)}`);
    return {};
  }
  const out: Record<string, number> = {};
  for (const [name, points] of Object.entries(value)) {
    if (ctx.knownChecks && !ctx.knownChecks.includes(name)) {
      fail(`checks.${name}`, unknownKey(name, ctx.knownChecks, 'names no correctness check'));
      continue;
    }
    const p = nonNegativeNumber(points);
    if (p) fail(`checks.${name}`, `${p} (the points the check is worth)`);
    else out[name] = points as number;
  }
  return out;
}

function checkWorkloads(value: unknown, ctx: ValidateContext, fail: Fail): Record<string, WorkloadSetting> {
  if (!isPlainObject(value)) {
    fail('workloads', `must be an object mapping workload names to { weight, hidden, file }, ${got(value)}`);
    return {};
  }
  const out: Record<string, WorkloadSetting> = {};
  for (const [name, setting] of Object.entries(value)) {
    const key = `workloads.${name}`;
    if (!isPlainObject(setting)) {
      fail(key, `must be an object like { "weight": 1, "hidden": false }, ${got(setting)}`);
      continue;
    }
    const entry = checkObject(key, setting, WORKLOAD_KEYS, {}, fail) as WorkloadSetting;
    const custom = setting.file !== undefined;
    if (!custom && ctx.knownWorkloads && !ctx.knownWorkloads.includes(name)) {
      const near = closest(name, ctx.knownWorkloads);
      const hint = near ? `did you mean \`${near}\`, or` : 'fix the name or';
      fail(key, `names no built-in workload; ${hint} add "file": "path/to/trace.rep" for your own trace (built-in: ${ctx.knownWorkloads.join(', ')})`);
      continue;
    }
    out[name] = entry;
  }
  return out;
}

/** Rules that involve more than one key. */
function crossChecks(raw: Record<string, unknown>, config: Config, fail: Fail): void {
  const score = isPlainObject(raw.score) ? raw.score : {};
  const hasC = 'correctness' in score;
  const hasP = 'performance' in score;
  const { correctness: c, performance: p } = config.score;
  // Naming one share implies the other, so `{ "correctness": 30 }` alone is enough.
  if (hasC && !hasP && c <= 100) config.score.performance = 100 - c;
  else if (hasP && !hasC && p <= 100) config.score.correctness = 100 - p;
  const sum = config.score.correctness + config.score.performance;
  if (Math.abs(sum - 100) > 1e-9) {
    fail(
      'score',
      `correctness + performance must add up to 100 points, got ${config.score.correctness} + ${config.score.performance} = ${sum}; change one of them`,
    );
  }
  for (const key of ['utilization', 'throughput'] as const) {
    const { min, max } = config[key];
    if (!(min < max)) fail(`${key}.min`, `must be below \`${key}.max\`, got min ${min} and max ${max}; swap them or lower min`);
  }
  const weights = Object.entries(config.workloads);
  if (config.onlyListedWorkloads && weights.length === 0) {
    fail('onlyListedWorkloads', 'is true but `workloads` names none; list the workloads that count, or set it to false');
  }
}
