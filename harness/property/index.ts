export { searchForFailure, type PropertyResult, type SearchOptions } from './search.ts';
export { saveRepro, propertyCheckResult, type SavedRepro, type PropertyFailure } from './save.ts';
export { PROPERTY_CHECK } from '../../suites/correctness/property.ts';
export { renumberIds } from './renumber.ts';
export { runPropertyCheck, type PropertyCheckOptions } from './check.ts';
