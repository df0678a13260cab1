/**
 * A flag that takes a list of names. It takes exactly one value per
 * occurrence, comma-separated (`--check a,b` or `--check a --check b`), so it
 * never swallows the positional submission that follows it
 * (`grade --workloads binary ref:naive` grades ref:naive).
 */
export function listOption(describe: string) {
  return {
    type: 'string',
    requiresArg: true,
    describe: `${describe} (comma-separated, or repeat the flag)`,
    coerce: (v: string | string[]): string[] => [v].flat().flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== ''),
  } as const;
}
