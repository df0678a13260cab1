/**
 * Every CLI command, in the order `heapgrade --help` lists them, loaded only
 * when needed: a command's module (and the part of the kit it imports) is
 * imported when that command runs, so `heapgrade --version` or `heapgrade list`
 * never pays for the runner, the compiler or the reporters.
 */
import type { CommandModule } from 'yargs';

// Each command declares its own argument type; the registry only passes them to yargs.
type AnyCommand = CommandModule<object, never>;

export interface LazyCommand {
  /** The first word of the command line that selects it. */
  readonly name: string;
  readonly load: () => Promise<AnyCommand>;
}

export const COMMANDS: readonly LazyCommand[] = [
  { name: 'test', load: async () => (await import('./test.ts')).testCommand as AnyCommand },
  { name: 'grade', load: async () => (await import('./grade.ts')).gradeCommand as AnyCommand },
  { name: 'trace', load: async () => (await import('./trace.ts')).traceCommand as AnyCommand },
  { name: 'show', load: async () => (await import('./show.ts')).showCommand as AnyCommand },
  { name: 'compare', load: async () => (await import('./compare.ts')).compareCommand as AnyCommand },
  { name: 'batch', load: async () => (await import('./batch.ts')).batchCommand as AnyCommand },
  { name: 'merge', load: async () => (await import('./merge.ts')).mergeCommand as AnyCommand },
  { name: 'report', load: async () => (await import('./report.ts')).reportCommand as AnyCommand },
  { name: 'diff', load: async () => (await import('./diff.ts')).diffCommand as AnyCommand },
  { name: 'gradescope', load: async () => (await import('./gradescope.ts')).gradescopeCommand as AnyCommand },
  { name: 'classroom', load: async () => (await import('./classroom.ts')).classroomCommand as AnyCommand },
  { name: 'list', load: async () => (await import('./list.ts')).listCommand as AnyCommand },
  { name: 'init', load: async () => (await import('./init.ts')).initCommand as AnyCommand },
];

/**
 * The commands a command line needs: only the one it names; none for a bare
 * `--version`; all of them otherwise (for `--help`, or to suggest a command
 * for a typo).
 */
export async function commandsFor(argv: readonly string[]): Promise<AnyCommand[]> {
  const word = argv.find((a) => !a.startsWith('-'));
  const named = COMMANDS.find((c) => c.name === word);
  if (named) return [await named.load()];
  if (word === undefined && argv.length > 0 && argv.every((a) => a === '--version')) return [];
  return Promise.all(COMMANDS.map((c) => c.load()));
}
