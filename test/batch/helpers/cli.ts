/**
 * Runs this folder's CLI commands the way scripts/cli.ts does, for tests that
 * need a separate process (killing a batch midway) before the commands are
 * registered in scripts/commands/index.ts.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { HeapgradeError } from '../../../harness/util/errors.ts';
import { batchCommand } from '../../../scripts/commands/batch.ts';
import { gradescopeCommand } from '../../../scripts/commands/gradescope.ts';

try {
  await yargs(hideBin(process.argv))
    .scriptName('heapgrade')
    .strict()
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .command(batchCommand as never)
    .command(gradescopeCommand as never)
    .parseAsync();
} catch (e) {
  process.stderr.write(`heapgrade: ${(e as Error).message}\n`);
  process.exitCode = e instanceof HeapgradeError ? 2 : 3;
}
