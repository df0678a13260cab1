export type { Config, ConfigInput, Range, SpeedBasis, WorkloadSetting } from './types.ts';
export { DEFAULT_CONFIG } from './defaults.ts';
export { validateConfig, type ValidateContext, type ValidateResult } from './validate.ts';
export { loadConfig, resolveConfig, CONFIG_FILES, type LoadedConfig } from './load.ts';
export { planWorkloads, selectWorkloads, type BuiltinWorkload, type PlannedWorkload } from './workloads.ts';
