/** Every CLI command, in the order `heapgrade --help` lists them. */
import { batchCommand } from './batch.ts';
import { classroomCommand } from './classroom.ts';
import { compareCommand } from './compare.ts';
import { gradeCommand } from './grade.ts';
import { gradescopeCommand } from './gradescope.ts';
import { listCommand } from './list.ts';
import { mergeCommand } from './merge.ts';
import { showCommand } from './show.ts';
import { testCommand } from './test.ts';
import { traceCommand } from './trace.ts';

export const COMMANDS = [
  testCommand,
  gradeCommand,
  traceCommand,
  showCommand,
  compareCommand,
  batchCommand,
  mergeCommand,
  gradescopeCommand,
  classroomCommand,
  listCommand,
] as const;
