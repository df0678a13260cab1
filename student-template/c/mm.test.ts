// `npm test`: one test per correctness check of the course's heapgrade suite.
// heapgrade compiles mm.c to WebAssembly (no C toolchain needed) and runs it
// sandboxed; a failing test prints the rule that broke, the shortest sequence
// of calls that shows it, a picture of the heap and a command that replays it.
import { allocatorSuite } from 'heapgrade/vitest';

// This folder is the submission, as Gradescope and `heapgrade classroom` grade it:
// mm.c may share it with other .c and .h files of yours.
allocatorSuite(new URL('./', import.meta.url));
