/**
 * Where the kit's own worker threads and child processes start. The kit runs
 * from two trees: the TypeScript sources (the repo, vitest) and the compiled
 * JavaScript in dist/ (the installed package). Callers name the entry by its
 * source URL (`new URL('./worker.ts', import.meta.url)`, a string URL that the
 * compiler does not rewrite); in the compiled tree this maps it to the `.js`
 * beside it and starts plain Node, in the source tree it loads tsx first. This
 * is the only place that decides, so no entry starts tsx from the package.
 */
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** True when this module (and so the whole kit) runs from its TypeScript sources. */
export const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** The entry's URL in the tree that is running: `.ts` stays in the sources, becomes `.js` in dist/. */
export function kitModule(source: URL): URL {
  if (FROM_SOURCE || !source.pathname.endsWith('.ts')) return source;
  return new URL(source.href.replace(/\.ts$/, '.js'));
}

/** For `fork`/`execaNode`: the file to run and the node options that must come first (tsx in the sources). */
export function kitChild(source: URL): { file: string; execArgv: string[] } {
  const file = fileURLToPath(kitModule(source));
  return { file, execArgv: FROM_SOURCE ? ['--import', import.meta.resolve('tsx')] : [] };
}

/**
 * A worker thread running a kit module. In the sources the thread first
 * registers tsx (a worker does not inherit the parent's loader, and Node 20
 * applies a worker's `--import` too late for its entry), then imports the
 * module; workerData, stdout and the rest of `options` are passed unchanged.
 */
export function startKitWorker(source: URL, options: WorkerOptions): Worker {
  if (!FROM_SOURCE) return new Worker(kitModule(source), options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
