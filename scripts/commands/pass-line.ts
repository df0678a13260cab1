/** `--pass-line SCORE` of `batch --html` and `report`: where the course page draws the pass line on the score histogram. */
import { UsageError } from '../../harness/util/errors.ts';

export const passLineOption = {
  type: 'number',
  describe: 'total score drawn as the pass line on the course page (default: the lowest total of a passing submission)',
} as const;

export function validPassLine(a: { 'pass-line'?: number }): true {
  const v = a['pass-line'];
  if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new UsageError(`Expected \`--pass-line\` to be a score of 0 or more, got \`${v}\``);
  return true;
}
