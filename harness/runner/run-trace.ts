/** One trace on a submission under the full checker, in a watched worker thread. */
import type { CheckerOptions } from '../checker/options.ts';
import type { Op } from '../trace/types.ts';
import { IsolatedReplayer, type IsolatedReplay } from './isolated-replayer.ts';

export type { IsolatedReplay } from './isolated-replayer.ts';

export async function runTraceIsolated(
  spec: string,
  ops: readonly Op[],
  options: { seed: number; limit: number; checker: CheckerOptions; callTimeoutMs?: number; compiler?: string; profile?: string },
): Promise<IsolatedReplay> {
  const replayer = new IsolatedReplayer(spec, { callTimeoutMs: options.callTimeoutMs, compiler: options.compiler, profile: options.profile });
  try {
    return await replayer.replay(ops, options);
  } finally {
    await replayer.close();
  }
}
