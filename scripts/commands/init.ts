/** `heapgrade init ts|c DIR`: a student's starting folder, ready for `npm install && npm test`. */
import type { CommandModule } from 'yargs';
import { TEMPLATE_LANGUAGES, writeTemplate, type TemplateLanguage } from '../../harness/template/write-template.ts';

interface InitArgs {
  language: TemplateLanguage;
  dir: string;
  tarball?: string;
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init <language> <dir>',
  describe: "write a student's starting folder (allocator, tests, Classroom workflow, .gitignore) for TypeScript or C",
  builder: (y) =>
    y
      .positional('language', { choices: TEMPLATE_LANGUAGES, demandOption: true, describe: 'ts (allocator.ts) or c (mm.c, malloclab style)' })
      .positional('dir', { type: 'string', demandOption: true, describe: 'a new or empty folder' })
      .option('tarball', { type: 'string', requiresArg: true, describe: 'depend on this packed kit (npm pack), copied into DIR/vendor/, instead of the registry' }) as never,
  handler: (args) => {
    const r = writeTemplate(args.language, args.dir, { tarball: args.tarball });
    const main = args.language === 'ts' ? 'allocator.ts' : 'mm.c';
    process.stdout.write(
      `Wrote ${r.files.length} files to ${r.dir} (heapgrade ${r.dependency}).\n` +
        `Next:\n  cd ${args.dir}\n  npm install\n  npm test            # or: npx heapgrade test ${main}\n`,
    );
  },
};
