export { searchForFailure, type PropertyResult, type SearchOptions } from './search.ts';
export { saveRepro, propertyCheckResult, PROPERTY_CHECK, type SavedRepro, type PropertyFailure } from './save.ts';
export { renumberIds } from './renumber.ts';
export { runPropertyCheck, type PropertyCheckOptions } from './check.ts';
