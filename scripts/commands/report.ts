/** `heapgrade report OUT`: the course page (OUT/index.html) of a finished or merged batch output folder. */
import type { CommandModule } from 'yargs';
import { writeCoursePage } from '../../harness/batch/course-page.ts';
import { passLineOption, validPassLine } from './pass-line.ts';

interface ReportArgs {
  out: string;
  'compare-to'?: string;
  'pass-line'?: number;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <out>',
  describe: 'write the course page (index.html: distribution, common mistakes, workloads, every student) of a batch output folder',
  builder: (y) =>
    y
      .positional('out', { type: 'string', demandOption: true, describe: 'the --out folder of `heapgrade batch` or `heapgrade merge`' })
      .option('compare-to', { type: 'string', describe: 'an earlier output folder of the same course: adds "what changed" (students whose status or total moved, and why)' })
      .option('pass-line', passLineOption)
      .check(validPassLine),
  handler: async (args) => {
    const page = await writeCoursePage(args.out, { compareTo: args['compare-to'], passLine: args['pass-line'] });
    process.stdout.write(`course page: ${page}\n`);
  },
};
