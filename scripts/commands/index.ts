/** Every CLI command, in the order `heapgrade --help` lists them. */
import { compareCommand } from './compare.ts';
import { listCommand } from './list.ts';
import { showCommand } from './show.ts';
import { testCommand } from './test.ts';
import { traceCommand } from './trace.ts';

export const COMMANDS = [testCommand, traceCommand, showCommand, compareCommand, listCommand] as const;
