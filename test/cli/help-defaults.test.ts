/** The defaults `--help` states are the ones a run uses: they come from DEFAULT_CONFIG, never typed again. */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../harness/config/defaults.ts';

const BIN = new URL('../../scripts/heapgrade.mjs', import.meta.url).pathname;
const help = async (command: string): Promise<string> => {
  const r = await execa('node', [BIN, command, '--help'], { reject: false, env: { NO_COLOR: '1', COLUMNS: '400' } });
  expect(r.exitCode).toBe(0);
  return r.stdout.replace(/\s+/g, ' ');
};

describe('help texts name the defaults that run', () => {
  it.each(['test', 'trace'])('%s --help gives the configured call timeout, alignment and heap limit', async (command) => {
    const text = await help(command);
    expect(text).toContain(`--call-timeout`);
    expect(text).toContain(`else ${DEFAULT_CONFIG.callTimeoutMs})`);
    expect(text).toContain(`(default ${DEFAULT_CONFIG.alignment})`);
    expect(text).toContain(`(default ${DEFAULT_CONFIG.heapLimit},`);
    expect(text).not.toMatch(/else 2000\)/);
  });
});
