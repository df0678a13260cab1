/** Starting the kit's worker threads and child processes from the TypeScript sources (the compiled tree: test/package). */
import { execa } from 'execa';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FROM_SOURCE, kitChild, kitModule, startKitWorker } from '../../harness/util/kit-entry.ts';

const ECHO = new URL('../fixtures/kit-entry/echo-worker.ts', import.meta.url);

describe('kit entries from the sources', () => {
  it('knows it runs from the sources and keeps the .ts entry', () => {
    expect(FROM_SOURCE).toBe(true);
    expect(kitModule(ECHO).href).toBe(ECHO.href);
  });

  it('a worker runs a TypeScript module and gets its workerData unchanged', async () => {
    const data = { spec: 'ref:reference', n: 3, nested: { ok: true } };
    const worker = startKitWorker(ECHO, { workerData: data });
    const [message] = (await once(worker, 'message')) as [{ seen: unknown }];
    await worker.terminate();
    expect(message.seen).toStrictEqual(data);
  });

  it('a child process runs a TypeScript module with the options kitChild gives', async () => {
    const entry = kitChild(ECHO);
    expect(entry.file.endsWith('echo-worker.ts')).toBe(true);
    // The module runs (without a parent port it posts nothing): a missing loader would fail on `.ts`.
    const r = await execa('node', [...entry.execArgv, entry.file], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
  });
});
