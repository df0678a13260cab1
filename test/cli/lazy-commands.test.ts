/** The command registry loads only what a command line needs. */
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandsFor } from '../../scripts/commands/index.ts';

const names = async (argv: string[]) => (await commandsFor(argv)).map((c) => String(c.command).split(' ')[0]);

describe('lazy command registry', () => {
  it('loads only the command a command line names', async () => {
    expect(await names(['list', '--json'])).toEqual(['list']);
    expect(await names(['test', 'allocator.ts', '--check', 'alignment'])).toEqual(['test']);
    expect(await names(['init', 'ts', 'dir'])).toEqual(['init']);
  });

  it('loads none for a bare --version', async () => {
    expect(await names(['--version'])).toEqual([]);
  });

  it('loads every command for --help, for no command, and to suggest one for a typo', async () => {
    const all = COMMANDS.map((c) => c.name);
    expect(await names(['--help'])).toEqual(all);
    expect(await names([])).toEqual(all);
    expect(await names(['tset'])).toEqual(all);
  });

  it('each registry name is the command its module declares', async () => {
    for (const c of COMMANDS) expect(String((await c.load()).command).split(' ')[0]).toBe(c.name);
  });
});
