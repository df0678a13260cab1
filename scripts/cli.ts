/**
 * The CLI's one catch: commands return, set process.exitCode, or throw.
 * Exit codes: 0 all passed, 1 a check failed, 2 bad usage or a submission
 * that does not load or compile, 3 a bug in heapgrade itself.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { HeapgradeError, UsageError } from '../harness/util/errors.ts';
import { COMMANDS } from './commands/index.ts';
import { EXIT } from './commands/emit-report.ts';


async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('heapgrade')
    .usage('$0 <command> [options]\n\nAutograding kit for student memory allocators (malloc, free, calloc, realloc on an sbrk heap).')
    .strict()
    .demandCommand(1, 'Name a command: heapgrade test [allocator.ts], heapgrade grade, heapgrade list, ...')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(msg);
    })
    .help()
    .version();
  for (const c of COMMANDS) cli = cli.command(c as never);
  await cli.parseAsync();
}

try {
  await main(hideBin(process.argv));
} catch (e) {
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
