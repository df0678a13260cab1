// `npm test`: one test per correctness check of the course's heapgrade suite.
// A failing test prints the rule that broke, the shortest sequence of calls
// that shows it, a picture of the heap and a command that replays it.
import { allocatorSuite } from 'heapgrade/vitest';

allocatorSuite(new URL('./allocator.ts', import.meta.url));
