/**
 * Saves each failing check's minimal trace as a .rep next to the student's
 * work and attaches the command that replays it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CheckResult } from '../report/types.ts';
import { writeRep } from '../trace/write.ts';

/** Quotes an argument for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function saveRepros(checks: CheckResult[], spec: string, dir: string, extraFlags: string[] = []): void {
  for (const c of checks) {
    const v = c.violations.find((x) => x.repro?.length);
    if (!v?.repro) continue;
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${c.name}.rep`);
    writeFileSync(file, writeRep({ name: c.name, ops: v.repro }));
    const shown = relative(process.cwd(), file) || file;
    c.reproFile = shown;
    const limit = extraFlags.length ? ` ${extraFlags.join(' ')}` : '';
    c.replay = `npx heapgrade trace ${shellQuote(shown)} ${shellQuote(spec)}${limit}`;
  }
}
