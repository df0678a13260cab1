export type { DataModel, Profile, ProfileFile, ProfileRule } from './types.ts';
export { BUILTIN_PROFILES, DEFAULT_PROFILE } from './builtin.ts';
export { detectProfile, type Detection } from './detect.ts';
export { builtinProfile, profileSettingProblem, resolveProfile, PROFILE_NAMES, type ResolvedProfile } from './resolve.ts';
