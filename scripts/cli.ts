/**
 * The CLI's one catch: commands return, set process.exitCode, or throw.
 * Exit codes: 0 all passed, 1 a check failed, 2 bad usage or a submission
 * that does not load or compile, 3 a bug in heapgrade itself.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { HeapgradeError, UsageError } from '../harness/util/errors.ts';
import { kitVersion } from '../harness/util/kit-root.ts';
import { commandsFor } from './commands/index.ts';


async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('heapgrade')
    .usage('$0 <command> [options]\n\nAutograding kit for student memory allocators (malloc, free, calloc, realloc on an sbrk heap).')
    .strict()
    .demandCommand(1, 'Name a command: heapgrade test [allocator.ts], heapgrade grade, heapgrade list, ...')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    // One name per option in messages and in the parsed arguments (`call-timeout`, never also `callTimeout`).
    .parserConfiguration({ 'camel-case-expansion': false })
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(withDashes(msg, argv));
    })
    .help()
    .version(kitVersion());
  for (const c of await commandsFor(argv)) cli = cli.command(c as never);
  skipHelpRender(cli);
  await cli.parseAsync();
}

/**
 * yargs renders the whole help text before it runs a command's handler, in
 * case the handler asks for the help later (no handler here does): 0.15-0.2 s
 * of CPU on every run, string-width and cliui laying out every option of
 * the command. The help is made when it is shown instead (`--help`, which
 * yargs answers without running a handler).
 */
function skipHelpRender(cli: object): void {
  const usage = (cli as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/**
 * yargs names an unknown option without its dashes (`Unknown argument: bogus-flag`);
 * give it back as typed (`--bogus-flag`, `-x`) so the message shows what to remove.
 */
function withDashes(msg: string, argv: readonly string[]): string {
  const m = /^(Unknown arguments?): (.*)$/.exec(msg);
  if (!m) return msg;
  const forms = (name: string): string[] => [`--${name}`, `--no-${name}`, `-${name}`];
  const typed = (name: string): string => argv.map((a) => a.split('=')[0]!).find((a) => forms(name).includes(a)) ?? name;
  const command = argv.find((a) => !a.startsWith('-'));
  const help = command === undefined ? 'heapgrade --help' : `heapgrade ${command} --help`;
  return `${m[1]}: ${m[2]!.split(', ').map(typed).join(', ')} (\`${help}\` lists what it takes)`;
}

try {
  await main(hideBin(process.argv));
} catch (e) {
  // Loaded here, not at start-up: the exit codes' module brings the reporters.
  const { EXIT } = await import('./commands/emit-report.ts');
  if (e instanceof HeapgradeError) {
    process.stderr.write(`heapgrade: ${e.message}\n`);
    process.exitCode = EXIT.usage;
  } else {
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(
      `heapgrade: internal error (a bug in heapgrade, not in your allocator):\n${err.stack ?? err.message}\n` +
        'Please report it with the command you ran.\n',
    );
    process.exitCode = EXIT.internal;
  }
}
