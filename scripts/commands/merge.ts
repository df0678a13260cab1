/** `heapgrade merge OUT...`: shard output folders into one gradebook and one set of per-student reports. */
import type { CommandModule } from 'yargs';
import { mergeBatches } from '../../harness/batch/merge.ts';

interface MergeArgs {
  dirs: string[];
  out: string;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <dirs..>',
  describe: 'merge the output folders of `heapgrade batch --shard i/n` runs into one gradebook and one set of reports',
  builder: (y) =>
    y
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'the --out folder of every shard' })
      .option('out', { type: 'string', demandOption: true, describe: 'the merged folder (new)' }),
  handler: async (args) => {
    const s = await mergeBatches({ inputs: args.dirs, out: args.out });
    const { pass, fail, error } = s.counts;
    process.stdout.write(
      `merged ${s.shards} folders: ${s.submissions} submissions, ${pass} pass, ${fail} fail, ${error} error\ngradebook: ${s.gradebook}\nper-student reports: ${s.out}/students/\n`,
    );
    // As for batch: a kit failure on any submission must not look like a clean run (re-grade it with --resume --retry-errors).
    process.exitCode = error > 0 ? 3 : 0;
  },
};
