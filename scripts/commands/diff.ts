/** `heapgrade diff OLD_OUT NEW_OUT`: the students whose status or total moved between two batch runs, and why. */
import type { CommandModule } from 'yargs';
import { readBatchFolder } from '../../harness/batch/batch-folder.ts';
import { diffCourses } from '../../harness/batch/course/diff.ts';
import { formatDiffText } from '../../harness/batch/course/diff-text.ts';

interface DiffArgs {
  old: string;
  new: string;
  json: boolean;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <old> <new>',
  describe: 'list the students whose status or total moved between two batch output folders, and the checks or workloads that moved them',
  builder: (y) =>
    y
      .positional('old', { type: 'string', demandOption: true, describe: 'the earlier --out folder' })
      .positional('new', { type: 'string', demandOption: true, describe: 'the later --out folder' })
      .option('json', { type: 'boolean', default: false, describe: 'print the differences as JSON' }),
  handler: (args) => {
    const older = readBatchFolder(args.old);
    const newer = readBatchFolder(args.new);
    const diff = diffCourses(older.entries, newer.entries);
    process.stdout.write(args.json ? `${JSON.stringify({ version: 1, old: older.dir, new: newer.dir, ...diff }, null, 2)}\n` : formatDiffText(diff, { old: older.dir, new: newer.dir }));
  },
};
