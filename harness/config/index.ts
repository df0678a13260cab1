export type { Config, ConfigInput, SpeedBasis, WorkloadSetting } from './types.ts';
export type { Range } from '../scoring/thresholds.ts';
export { DEFAULT_CONFIG } from './defaults.ts';
export { validateConfig, type ValidateContext, type ValidateResult } from './validate.ts';
export { loadConfig, resolveConfig, CONFIG_FILES, type LoadedConfig } from './load.ts';
export { planWorkloads, selectWorkloads, type BuiltinWorkload, type PlannedWorkload } from './workloads.ts';
