// Worker threads start without the parent's TypeScript loader: register tsx
// here, then load the worker module the parent named (the check worker by default).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData?.module ?? './worker.ts');
