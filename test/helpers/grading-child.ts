/** The real grading child (harness/child/child-main.ts), started by hand: send it one job, get its final message. */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import type { FinalMessage } from '../../harness/child/messages.ts';

const CHILD = fileURLToPath(new URL('../../harness/child/child-main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function runGradingChild(job: object): Promise<FinalMessage> {
  const child = execa('node', ['--import', 'tsx', CHILD], { cwd: ROOT, ipc: true, serialization: 'json', reject: false, env: { NO_COLOR: '1' } });
  const messages: unknown[] = [];
  child.on('message', (m: unknown) => messages.push(m));
  child.send(job);
  await child;
  return messages.at(-1) as FinalMessage;
}
