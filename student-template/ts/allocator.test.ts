// `npm test`: one test per correctness check of the course's heapgrade suite.
// A failing test prints the rule that broke, the shortest sequence of calls
// that shows it, a picture of the heap and a command that replays it.
import { allocatorSuite } from 'heapgrade/vitest';

// This folder is the submission, as Gradescope and `heapgrade classroom` grade it:
// allocator.ts may import helper files of its own (./list.ts).
allocatorSuite(new URL('./', import.meta.url));
